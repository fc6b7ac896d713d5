/* distrib.c — netem's jitter distributions (see distrib.h). */
#include "distrib.h"
#include <math.h>
#include <string.h>

/* Acklam's inverse of the standard normal CDF (relative error < 1.2e-9). */
static double inv_normal(double p)
{
        static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                   -2.759285104469687e+02, 1.383577518672690e+02,
                                   -3.066479806614716e+01, 2.506628277459239e+00};
        static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                   -1.556989798598866e+02, 6.680131188771972e+01,
                                   -1.328068155288572e+01};
        static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                   -2.400758277161838e+00, -2.549732539343734e+00,
                                   4.374664141464968e+00,  2.938163982698783e+00};
        static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                   2.445134137142996e+00, 3.754408661907416e+00};
        double q, r;
        if (p < 0.02425) {
                q = sqrt(-2 * log(p));
                return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                       ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - 0.02425) {
                q = sqrt(-2 * log(1 - p));
                return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                       ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        q = p - 0.5;
        r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
               (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/* Pareto with shape 3 (iproute2's pareto table), scaled to mean 0, sd 1. */
static double inv_pareto(double p)
{
        const double alpha = 3, mean = 1.5, sd = 0.8660254037844386;
        return (pow(1 - p, -1 / alpha) - mean) / sd;
}

double dist_inverse(uint8_t dist, double u, double u2)
{
        switch (dist) {
        case DIST_NORMAL:
                return inv_normal(u);
        case DIST_PARETO:
                return inv_pareto(u);
        case DIST_PARETONORMAL:
                return 0.25 * inv_normal(u) + 0.75 * inv_pareto(u2);
        default:
                return (2 * u - 1) * 1.7320508075688772;
        }
}

static const char *const names[] = {"uniform", "normal", "pareto", "paretonormal"};

int dist_parse(const char *name)
{
        for (int i = 0; i < 4; i++)
                if (strcmp(name, names[i]) == 0)
                        return i;
        return -1;
}

const char *dist_name(uint8_t dist)
{
        return dist < 4 ? names[dist] : "?";
}
