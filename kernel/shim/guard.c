/* iovet shim: crash, BUG and hang isolation for guarded calls into kernel code.
 * x86_64 glibc ABI declared by hand (we build under -nostdinc). */
#include <kabi_shim.h>

struct kabi_sigaction {
	void (*sa_sigaction)(int, void *, void *);
	unsigned long sa_mask[16];
	int sa_flags;
	void (*sa_restorer)(void);
};
struct kabi_stack { void *ss_sp; int ss_flags; size_t ss_size; };
struct kabi_timeval { long tv_sec, tv_usec; };
struct kabi_itimerval { struct kabi_timeval it_interval, it_value; };
int sigaction(int sig, const struct kabi_sigaction *act, struct kabi_sigaction *old);
int sigaltstack(const struct kabi_stack *ss, struct kabi_stack *old);
int setitimer(int which, const struct kabi_itimerval *nv, struct kabi_itimerval *old);
int raise(int sig);
void siglongjmp(void *env, int val) __attribute__((__noreturn__));
void abort(void) __attribute__((__noreturn__));
int vsnprintf(char *buf, size_t n, const char *fmt, __builtin_va_list ap);

#define KSIGILL 4
#define KSIGBUS 7
#define KSIGFPE 8
#define KSIGSEGV 11
#define KSIGPROF 27
#define KSA_SIGINFO 0x4
#define KSA_ONSTACK 0x08000000
#define KSA_RESTART 0x10000000
#define KSA_NODEFER 0x40000000
#define KITIMER_PROF 2
#define KABI_TICK_MS 50
#define KABI_ALTSTACK (256 * 1024)

kabi_jmp_buf kabi_jb;
volatile int kabi_running;
volatile unsigned long kabi_ticks, kabi_t0;
static unsigned kabi_hang_ms;
static void *volatile kabi_altstack; /* kept reachable (volatile: never elided), or LeakSanitizer calls it a leak */
static int kabi_inited;

/* This object's load address and end (the linker's symbols): a pc inside them is reported as
 * an offset addr2line understands. */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern const char _end[] __attribute__((visibility("hidden")));

static unsigned long kabi_pc_offset(unsigned long pc)
{
	unsigned long base = (unsigned long)__ehdr_start;
	return pc > base && pc < (unsigned long)_end ? pc - base : 0;
}

/* A sanitizer report claimed during this call stays the verdict: what the kernel code does
 * after it (a fault, a BUG()) is its consequence. */
static __noreturn void kabi_fail_at(int status, unsigned long pc, const char *fmt, __builtin_va_list ap)
{
	struct kabi_inst *in = kabi_cur;
	if (!kabi_running || !in)
		abort();
	if (!in->status) {
		in->status = status;
		in->fault_pc = kabi_pc_offset(pc);
		vsnprintf(in->msg, sizeof(in->msg), fmt, ap);
	}
	siglongjmp(kabi_jb, 1);
}

static __noreturn void kabi_fail(int status, const char *fmt, __builtin_va_list ap)
{
	kabi_fail_at(status, 0, fmt, ap);
}

void kabi_crash(const char *fmt, ...)
{
	__builtin_va_list ap;
	__builtin_va_start(ap, fmt);
	kabi_fail(KABI_CRASH, fmt, ap);
}

static __noreturn void kabi_failf(int status, unsigned long pc, const char *fmt, ...)
{
	__builtin_va_list ap;
	__builtin_va_start(ap, fmt);
	kabi_fail_at(status, pc, fmt, ap);
}

void kabi_bug_msg(const char *fmt, ...)
{
	__builtin_va_list ap;
	__builtin_va_start(ap, fmt);
	kabi_fail(KABI_BUG, fmt, ap);
}

void kabi_bug(const char *file, int line)
{
	kabi_failf(KABI_BUG, 0, "BUG at %s:%d", file, line);
}

static const char *kabi_signame(int sig)
{
	switch (sig) {
	case KSIGSEGV: return "SIGSEGV";
	case KSIGBUS: return "SIGBUS";
	case KSIGFPE: return "SIGFPE";
	case KSIGILL: return "SIGILL";
	}
	return "signal";
}

/* What was installed before us, per signal: several kernel objects (page sizes, trees) may be
 * loaded at once, each with its own guard; a signal that is not ours goes down the chain. */
static struct kabi_sigaction kabi_old[32];

static void kabi_pass_on(int sig, void *info, void *uctx)
{
	struct kabi_sigaction *old = &kabi_old[sig];
	unsigned long h = (unsigned long)old->sa_sigaction;
	if (h > 1) { /* neither SIG_DFL (0) nor SIG_IGN (1) */
		old->sa_sigaction(sig, info, uctx);
		return;
	}
	if (h == 1 || sig == KSIGPROF)
		return;
	sigaction(sig, old, NULL); /* SIG_DFL: a real crash of iovet stays a crash */
	raise(sig);
}

/* ucontext_t.uc_mcontext.gregs[REG_RIP] */
static unsigned long kabi_uctx_pc(void *uctx)
{
	return ((unsigned long *)((char *)uctx + 40))[16];
}

static void kabi_fault_handler(int sig, void *info, void *uctx)
{
	void *addr = *(void **)((char *)info + 16); /* siginfo_t.si_addr */
	unsigned long pc = kabi_uctx_pc(uctx);
	if (!kabi_running || !kabi_cur) {
		kabi_pass_on(sig, info, uctx);
		return;
	}
	/* -fsanitize-undefined-trap-on-error: the check's failure is a ud2 (0f 0b) */
	if (sig == KSIGILL && kabi_pc_offset(pc) && *(const unsigned short *)pc == 0x0b0f)
		kabi_failf(KABI_CRASH, pc, "UBSAN: undefined behaviour trap (array index out of bounds, "
			   "shift exponent out of range, or a load of an invalid bool/enum)");
	if (sig == KSIGSEGV && (unsigned long)addr < 65536)
		kabi_failf(KABI_CRASH, pc, "SIGSEGV (NULL dereference?) at address %p", addr);
	kabi_failf(KABI_CRASH, pc, "%s at address %p", kabi_signame(sig), addr);
}

static void kabi_prof_handler(int sig, void *info, void *uctx)
{
	unsigned long ran;
	kabi_ticks++;
	if (!kabi_running || !kabi_cur) {
		kabi_pass_on(sig, info, uctx);
		return;
	}
	if (kabi_in_libc || !kabi_hang_ms)
		return; /* never longjmp out of libc (malloc); the next tick will do */
	ran = (kabi_ticks - kabi_t0) * KABI_TICK_MS;
	if (ran > kabi_hang_ms)
		kabi_failf(KABI_HANG, kabi_uctx_pc(uctx), "no return after %lu ms", ran);
}

void kabi_init(const struct kabi_host *host, unsigned hang_ms)
{
	static const int sigs[] = { KSIGSEGV, KSIGBUS, KSIGFPE, KSIGILL };
	struct kabi_sigaction sa;
	struct kabi_stack ss;
	struct kabi_itimerval it;
	size_t i;

	kabi_host_ops = host;
	kabi_hang_ms = hang_ms;
	/* every call arms the tick: a forked child inherits the handlers, not the timer */
	it.it_interval.tv_sec = 0;
	it.it_interval.tv_usec = KABI_TICK_MS * 1000;
	it.it_value = it.it_interval;
	setitimer(KITIMER_PROF, &it, NULL);
	if (kabi_inited)
		return;
	kabi_inited = 1;

	kabi_altstack = kabi_untracked_malloc(KABI_ALTSTACK);
	ss.ss_sp = kabi_altstack;
	ss.ss_flags = 0;
	ss.ss_size = KABI_ALTSTACK;
	sigaltstack(&ss, NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = kabi_fault_handler;
	sa.sa_flags = KSA_SIGINFO | KSA_ONSTACK | KSA_NODEFER;
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, &kabi_old[sigs[i]]);

	sa.sa_sigaction = kabi_prof_handler;
	sa.sa_flags = KSA_SIGINFO | KSA_ONSTACK | KSA_NODEFER | KSA_RESTART;
	sigaction(KSIGPROF, &sa, &kabi_old[KSIGPROF]);
}

const char *kabi_fault_message(const struct kabi_inst *inst)
{
	return inst->status ? inst->msg : "";
}

uint64_t kabi_fault_pc(const struct kabi_inst *inst)
{
	return inst->status ? inst->fault_pc : 0;
}

void kabi_set_cpu(struct kabi_inst *inst, unsigned cpu)
{
	inst->cpu = cpu < NR_CPUS ? cpu : 0;
}

/* Called from inside the sanitizer's report (no longjmp there: it holds its locks); the
 * kernel code runs on and KABI_GUARD returns the status when the call ends. */
int kabi_sanitizer_report(const char *summary)
{
	struct kabi_inst *in = kabi_cur;
	size_t n;
	if (!kabi_running || !in)
		return 0;
	if (!in->status) {
		n = strlen(summary);
		if (n >= sizeof(in->msg))
			n = sizeof(in->msg) - 1;
		memcpy(in->msg, summary, n);
		in->msg[n] = 0;
		in->fault_pc = 0;
		in->status = KABI_CRASH;
	}
	return 1;
}

int kabi_take_warning(struct kabi_inst *inst, char *buf, size_t cap)
{
	char *s;
	size_t n;
	if (inst->warn_head >= inst->warn_n)
		return 0;
	s = inst->warn[inst->warn_head++];
	if (cap) {
		n = strlen(s);
		if (n >= cap)
			n = cap - 1;
		memcpy(buf, s, n);
		buf[n] = 0;
	}
	kabi_untracked_free(s);
	return 1;
}

void kabi_destroy(struct kabi_inst *inst)
{
	if (!inst)
		return;
	if (!inst->status && inst->teardown)
		KABI_GUARD(inst, inst->teardown(inst));
	kabi_inst_free_all(inst);
}
