/* driver.c — runs a libFuzzer-style target (LLVMFuzzerTestOneInput) with
 * gcc, where libFuzzer is not available: every corpus file first, then a
 * bounded loop of random mutations of them (bit flips, byte changes,
 * inserts, deletes, splices, interesting bytes). Built with ASan+UBSan in
 * ctest, so a memory error or undefined behaviour aborts the run; the input
 * that did it is written to crash-TARGET-PID and named on stderr.
 *
 *   fuzz_NAME [-t SECONDS] [-n RUNS] [-s SEED] [CORPUS_DIR|FILE]...
 * (-t defaults to $NETLAB_FUZZ_SECONDS, else 15.)
 *
 * With clang a target may instead be linked with -fsanitize=fuzzer. */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

#define MAXLEN 4096

struct input {
        uint8_t *d;
        size_t n;
};

static struct input *corpus;
static size_t ncorpus;
static const uint8_t *cur; /* the input being run, for the crash file */
static size_t curn;
static const char *prog = "fuzz";

static void save_crash(void)
{
        char path[256];
        snprintf(path, sizeof(path), "crash-%s-%d", prog, (int)getpid());
        FILE *f = fopen(path, "wb");
        if (f) {
                fwrite(cur, 1, curn, f);
                fclose(f);
                fprintf(stderr, "fuzz: the input is in %s (%zu bytes)\n", path, curn);
        }
}

/* A target's own abort() (a broken invariant) or a crash outside the sanitizers. */
static void on_fatal(int sig)
{
        save_crash();
        signal(sig, SIG_DFL);
        raise(sig);
}

static void run(const uint8_t *d, size_t n)
{
        /* A copy of exactly n bytes: a read past the input is ASan's. */
        uint8_t *copy = malloc(n ? n : 1);
        if (!copy)
                abort();
        memcpy(copy, d, n);
        cur = copy;
        curn = n;
        LLVMFuzzerTestOneInput(copy, n);
        free(copy);
}

static void add(const uint8_t *d, size_t n)
{
        struct input *c = realloc(corpus, sizeof(*c) * (ncorpus + 1));
        if (!c)
                return;
        corpus = c;
        corpus[ncorpus].d = malloc(n ? n : 1);
        if (!corpus[ncorpus].d)
                return;
        memcpy(corpus[ncorpus].d, d, n);
        corpus[ncorpus++].n = n;
}

static void load_file(const char *path)
{
        FILE *f = fopen(path, "rb");
        if (!f) {
                fprintf(stderr, "fuzz: cannot open \"%s\"\n", path);
                return;
        }
        uint8_t buf[MAXLEN];
        size_t n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        run(buf, n);
        add(buf, n);
}

static void load(const char *path)
{
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
                DIR *dir = opendir(path);
                struct dirent *de;
                while (dir && (de = readdir(dir)) != NULL) {
                        char p[4096];
                        if (de->d_name[0] == '.')
                                continue;
                        snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
                        load_file(p);
                }
                if (dir)
                        closedir(dir);
        } else {
                load_file(path);
        }
}

static size_t mutate(uint8_t *d, size_t n, size_t max)
{
        static const uint8_t interesting[] = {0,    0xff, 0x7f, 0x80, '\\', '\'', '"', ' ',
                                              '\t', '\n', '#',  ';',  '|',  '$',  '%', 0x1b};
        int k = 1 + rand() % 4;
        while (k--) {
                size_t at = n ? (size_t)rand() % n : 0;
                switch (rand() % 7) {
                case 0: /* flip a bit */
                        if (n)
                                d[at] ^= (uint8_t)(1u << (rand() % 8));
                        break;
                case 1: /* any byte */
                        if (n)
                                d[at] = (uint8_t)rand();
                        break;
                case 2: /* an interesting byte */
                        if (n)
                                d[at] = interesting[(size_t)rand() % sizeof(interesting)];
                        break;
                case 3: /* insert */
                        if (n < max) {
                                memmove(d + at + 1, d + at, n - at);
                                d[at] = interesting[(size_t)rand() % sizeof(interesting)];
                                n++;
                        }
                        break;
                case 4: /* delete */
                        if (n) {
                                memmove(d + at, d + at + 1, n - at - 1);
                                n--;
                        }
                        break;
                case 5: /* splice another corpus input in */
                        if (ncorpus) {
                                const struct input *o = &corpus[(size_t)rand() % ncorpus];
                                size_t l = o->n < max - at ? o->n : max - at;
                                if (at + l > n)
                                        n = at + l;
                                memcpy(d + at, o->d, l);
                        }
                        break;
                case 6: /* repeat a chunk (long lines, many words) */
                        if (n && n < max) {
                                size_t l = 1 + (size_t)rand() % (n - at);
                                size_t times = 1 + (size_t)rand() % 64;
                                while (times-- && n + l <= max) {
                                        memmove(d + at + l, d + at, n - at);
                                        n += l;
                                }
                        }
                        break;
                }
        }
        return n;
}

int main(int argc, char **argv)
{
        const char *env = getenv("NETLAB_FUZZ_SECONDS");
        double seconds = env && atof(env) > 0 ? atof(env) : 15;
        long runs = -1;
        unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
        prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
        int opt;
        while ((opt = getopt(argc, argv, "t:n:s:")) != -1) {
                if (opt == 't')
                        seconds = atof(optarg);
                else if (opt == 'n')
                        runs = atol(optarg);
                else if (opt == 's')
                        seed = (unsigned)strtoul(optarg, NULL, 0);
                else {
                        fprintf(stderr, "usage: %s [-t SECONDS] [-n RUNS] [-s SEED] [CORPUS]...\n",
                                prog);
                        return 2;
                }
        }
        if (__sanitizer_set_death_callback)
                __sanitizer_set_death_callback(save_crash);
        signal(SIGABRT, on_fatal);
        signal(SIGSEGV, on_fatal);
        for (int i = optind; i < argc; i++)
                load(argv[i]);
        if (ncorpus == 0)
                add((const uint8_t *)"", 0);
        srand(seed);
        struct timespec t0, t;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        static uint8_t buf[MAXLEN];
        long n = 0;
        for (;; n++) {
                if (runs >= 0 && n >= runs)
                        break;
                if ((n & 255) == 0) {
                        clock_gettime(CLOCK_MONOTONIC, &t);
                        if ((double)(t.tv_sec - t0.tv_sec) +
                                (double)(t.tv_nsec - t0.tv_nsec) / 1e9 >=
                            seconds)
                                break;
                }
                const struct input *in = &corpus[(size_t)rand() % ncorpus];
                memcpy(buf, in->d, in->n);
                size_t len = mutate(buf, in->n, sizeof(buf));
                run(buf, len);
        }
        printf("%s: %zu corpus inputs, %ld mutated runs, seed %u: ok\n", prog, ncorpus, n, seed);
        return 0;
}
