/* systime.c - time, from the timer's ticks (timer.c, TIMER_HZ a second).
 *
 * Every clock counts from boot: CLOCK_MONOTONIC as on Linux, and
 * CLOCK_REALTIME too, since the kernel does not read the date from the
 * RTC (so the date is 1 January 1970). Times are as fine as a tick, 10 ms.
 * A struct timespec comes in two sizes: { int32 seconds, int32 ns } for
 * the old calls, and { int64, int64 } for the *64 ones, which C libraries
 * try first so that their time does not end in 2038.
 */
#include "errno.h"
#include "keyboard.h"
#include "paging.h"
#include "process.h"
#include "syscall.h"
#include "timer.h"

#define NS_PER_TICK (1000000000 / TIMER_HZ)
#define MAX_TICKS   0x7ffffffeu     /* 248 days: a longer sleep is cut to it */

/* Linux's clock ids (include/uapi/linux/time.h), those named here. */
#define CLOCK_MONOTONIC      1
#define CLOCK_REALTIME_ALARM 8      /* 8 and 9: the alarm clocks, which need an RTC */
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_SGI_CYCLE      10     /* no clock since Linux 4.20 */
#define CLOCK_TAI            11     /* the last */
#define TIMER_ABSTIME        1      /* clock_nanosleep's flag: until the time, not for it */

/* What clock_nanosleep answers for each clock id, as Linux does
   (kernel/time/posix-timers.c): 0 sleeps; 10 is no clock (-EINVAL); the
   thread's CPU clock, the raw and coarse clocks have no sleep, nor the
   alarm clocks without an RTC alarm (-EOPNOTSUPP). */
static const int8_t nsleep_answer[12] = {
    0, 0, 0, -EOPNOTSUPP, -EOPNOTSUPP, -EOPNOTSUPP, -EOPNOTSUPP, 0, -EOPNOTSUPP, -EOPNOTSUPP,
    -EINVAL, 0,
};

/* A timespec (wide: the 64-bit one) from the program, as ticks, rounded
   up. -EFAULT or -EINVAL (a negative time, or ns not below a second). */
static int32_t get_ticks(uint32_t va, int wide, uint32_t *ticks)
{
    int32_t t[4];
    if (copyin(t, va, wide ? 16 : 8))
        return -EFAULT;
    int32_t high = wide ? t[1] : t[0] < 0 ? -1 : 0, ns = t[wide ? 2 : 1];  /* ns: low 32 bits */
    if (high < 0 || ns < 0 || ns >= 1000000000)
        return -EINVAL;
    uint32_t seconds = t[0], rest = (ns + NS_PER_TICK - 1) / NS_PER_TICK;
    int big = high > 0 || seconds > (MAX_TICKS - rest) / TIMER_HZ;
    *ticks = big ? MAX_TICKS : seconds * TIMER_HZ + rest;
    return 0;
}

static int32_t put_time(uint32_t va, int wide, uint32_t ticks, uint32_t unit)
{
    uint32_t t[4] = { ticks / TIMER_HZ, 0, ticks % TIMER_HZ * (1000000000 / TIMER_HZ / unit), 0 };
    if (!wide)
        t[1] = t[2];
    return copyout(va, t, wide ? 16 : 8);
}

/* Wait until the tick count reaches until. Interrupts are off in a system
   call; sti; hlt waits for the next one with no gap for it to slip
   through. Esc stops the program here too. */
static void sleep_until(uint32_t until)
{
    while ((int32_t)(until - uptime()) > 0) {
        __asm__ volatile("sti; hlt; cli");
        if (keyboard_escape())
            process_stop();
    }
}

/* nanosleep(time, remaining) and clock_nanosleep(clock, flags, time,
   remaining): remaining is written only when a signal ends the sleep
   early, and none does here. TIMER_ABSTIME in flags sleeps until the
   clock reads the time. */
static int32_t nanosleep(uint32_t clock, uint32_t flags, uint32_t va, int wide)
{
    uint32_t ticks, now = uptime();
    if (clock >= sizeof nsleep_answer || nsleep_answer[clock])
        return clock >= sizeof nsleep_answer ? -EINVAL : nsleep_answer[clock];
    int32_t error = get_ticks(va, wide, &ticks);
    if (error)
        return error;
    sleep_until(flags & TIMER_ABSTIME ? ticks : now + ticks + (ticks > 0));   /* + 1: the tick under way */
    return 0;
}

/* nanosleep(time, remaining): on the monotonic clock, as Linux's. */
int32_t sys_nanosleep(const uint32_t *a)
{
    uint32_t time_va = a[0];
    return nanosleep(CLOCK_MONOTONIC, 0, time_va, 0);
}

/* clock_nanosleep(clock, flags, time, remaining), and its _time64 */
int32_t sys_clock_nanosleep(const uint32_t *a)
{
    uint32_t clock = a[0], flags = a[1], time_va = a[2];
    return nanosleep(clock, flags, time_va, 0);
}

int32_t sys_clock_nanosleep_time64(const uint32_t *a)
{
    uint32_t clock = a[0], flags = a[1], time_va = a[2];
    return nanosleep(clock, flags, time_va, 1);
}

/* clock_gettime(clock, time): the clocks Linux has, 0 to 7 and 11 (TAI);
   the alarm clocks (8, 9) only with an RTC. */
static int32_t clock_gettime(uint32_t clock, uint32_t va, int wide)
{
    if (clock > CLOCK_TAI || clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM ||
        clock == CLOCK_SGI_CYCLE)
        return -EINVAL;
    return put_time(va, wide, uptime(), 1);
}

/* clock_gettime(clock, time), and its 64 */
int32_t sys_clock_gettime(const uint32_t *a)
{
    uint32_t clock = a[0], time_va = a[1];
    return clock_gettime(clock, time_va, 0);
}

int32_t sys_clock_gettime64(const uint32_t *a)
{
    uint32_t clock = a[0], time_va = a[1];
    return clock_gettime(clock, time_va, 1);
}

/* gettimeofday(time, zone): { seconds, microseconds }, and the zone is
   UTC ({ 0 minutes west, no daylight saving }). Either may be NULL. */
int32_t sys_gettimeofday(const uint32_t *a)
{
    uint32_t time_va = a[0], zone_va = a[1];
    static const uint32_t utc[2];
    if (time_va && put_time(time_va, 0, uptime(), 1000))
        return -EFAULT;
    return zone_va ? copyout(zone_va, utc, sizeof utc) : 0;
}
