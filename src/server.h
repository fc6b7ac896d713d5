/* server.h — what holds a lab while no console is attached (tmux's answer,
 * dtach's size).
 *
 * A lab server is one process per lab. It owns a pseudo-terminal; the
 * console (netlab's full-screen UI, an ordinary child process) runs on its
 * slave side and keeps the lab, its panes' shells and their scrollback. The
 * server relays the pty to any number of clients over a Unix socket,
 * /run/netlab/LAB/console.sock (root, 0600): each client puts its terminal in
 * raw mode and forwards keys and window sizes; the server forwards the
 * console's output to every client. Clients come and go (prefix d, a closed
 * terminal, a lost SSH connection); the console and the lab stay. When the
 * console exits (quit, a stop signal, netlab down), the server sends its exit
 * status to every client and exits: it never outlives its console.
 *
 * The console talks to its server on a control socket passed as
 * NETLAB_SERVER_FD: "lab NAME" once the lab file is loaded, "progress LAB
 * STAGE DONE TOTAL" while it builds, "up [NODES LINKS]" once built, "fail
 * MESSAGE" if the build failed, "detach" for prefix d (the client that
 * typed it last is detached), "relisten" when the lab was rebuilt (reload)
 * and its run directory, the socket's, made anew. An idle lab with no server costs nothing; a
 * server is one process per lab, never per node. */
#ifndef NETLAB_SERVER_H
#define NETLAB_SERVER_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "err.h"

#define SERVER_SOCK "console.sock"

/* Client <-> server messages: a header, then len bytes. */
enum srv_msg {
        SRV_INPUT = 1, /* client -> server: keys */
        SRV_WINSZ,     /* client -> server: struct srv_winsz (also the first message) */
        SRV_OUTPUT,    /* server -> client: the console's output */
        SRV_EXIT,      /* server -> client: int32 exit status of the console, -SIG if a
                        * signal killed it, then the lab's name; then EOF */
        SRV_DETACHED,  /* server -> client: you were detached (prefix d); then EOF */
        SRV_REDRAW,    /* client -> server: repaint the whole screen (after attach) */
        SRV_SIGNAL,    /* client -> server: int32 SIGINT or SIGTERM, for the console */
        SRV_COUNT,     /* client -> server: how many terminals show the console?
                          server -> client: int32 N (the asker not counted); then EOF */
        SRV_ENV,       /* client -> server: "tmux=0|1 prefix=C-a" from its environment,
                          passed to the console as "env [starter] ..." */
        SRV_NAME,      /* server -> client: the lab's name, once the console says it
                          (the first terminal knew only its file) */
};
struct srv_hdr {
        uint8_t type;
        uint8_t pad;
        uint16_t len;
};
struct srv_winsz {
        uint16_t rows, cols;
};

/* Frames as they arrive on a socket (either end): the bytes read so far,
 * and how many of them the frames already taken used. */
struct srv_frames {
        unsigned char buf[70000]; /* a whole frame fits (len is 16 bits) */
        size_t have, off;
};
/* Reads what fd has after the frames not yet taken: read()'s answer (0 at
 * the end, or when a frame would not fit). */
ssize_t srv_frames_read(int fd, struct srv_frames *f);
/* The next whole frame read: its header into *h, its data returned; NULL
 * until one has come whole. */
const unsigned char *srv_frame_next(struct srv_frames *f, struct srv_hdr *h);

/* Starts a lab server running argv (the console: netlab's own binary with
 * the lab file) on a new pty of rows x cols, detached from the caller's
 * terminal and session. With client_fd >= 0, that connected socket is its
 * first client (the terminal that typed `netlab LAB.lua`). Returns the
 * server's pid in the caller; *ready_fd (if not NULL) is a pipe that gets
 * "pid PID" (the server's: a SIGINT or SIGTERM sent to it stops the build),
 * the console's "progress ..." lines (some dropped if not read), then one
 * line: "up NAME [NODES LINKS]" once the console has built the lab, "fail
 * MESSAGE" when it could not, or EOF when the console died first. */
pid_t server_start(char *const argv[], int rows, int cols, int client_fd, int *ready_fd,
                   char *err);

/* Connects to the server of lab name; -1 with errno ENOENT when the lab has
 * no server (not running, or kept up without a console). */
int server_connect(const char *name, char *err);

/* For the console: tells its server (if any) a line ("lab NAME", "up",
 * "fail ...", "detach"). No server: returns -1, errno ENOTCONN. */
int server_tell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True when this console runs under a server (prefix d can detach). */
bool server_present(void);
/* The control socket (-1: no server); readable when the server tells the
 * console how many terminals show it ("clients N"). */
int server_fd(void);
/* Reads what the server said: the last client count in it, -1 (none),
 * or -2 when the server closed it. env (envlen bytes) gets the last
 * "env ..." line's text after "env " ("" when none): an attaching
 * terminal's environment (SRV_ENV). */
int server_read_clients(int fd, char *env, size_t envlen);

/* How many terminals show lab name's console (tmux ls's "attached"), asked
 * of its server on sock (server_connect); the socket is closed. -1 when the
 * server did not answer within timeout_ms. */
int client_count(int sock, int timeout_ms);

/* The attach client: raw mode on the caller's terminal, relays until the
 * console exits (returns its status), the client is detached (returns 0 and
 * prints "[detached from LAB]"), or the connection drops (1). SIGINT and
 * SIGTERM to the client are passed to the console; SIGHUP (the terminal
 * went away) only detaches. */
int client_attach(int sock, const char *name);

#endif
