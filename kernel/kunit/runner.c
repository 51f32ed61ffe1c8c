/* iovet's KUnit shim: runs every suite an exported file registered, each case guarded like
 * any call into kernel code (a BUG() or an oops fails that case, as a kernel KUnit run
 * reports a crashed case), and prints KTAP version 1 as lib/kunit/test.c does. */
#include <kabi_shim.h>
#include <kunit/test.h>
#include <linux/sched.h>

int printf(const char *fmt, ...);
int vprintf(const char *fmt, __builtin_va_list ap);
int posix_memalign(void **p, size_t align, size_t size);
void free(void *p);
int vsnprintf(char *buf, size_t n, const char *fmt, __builtin_va_list ap);
void siglongjmp(void *env, int val) __attribute__((__noreturn__));

#define KUNIT_MAX_SUITES 16

static struct kunit_suite *kunit_suites[KUNIT_MAX_SUITES];
static size_t kunit_nr_suites;
static kabi_jmp_buf kunit_case_jb;

const struct cpumask kunit_cpu_masks[NR_CPUS] = { { 1UL << 0 }, { 1UL << 1 }, { 1UL << 2 }, { 1UL << 3 } };
const struct cpumask kunit_cpu_possible = { (1UL << NR_CPUS) - 1 };
struct task_struct *kunit_current_task;

/* The task may run on the lowest CPU of the mask: raw_smp_processor_id() becomes it. */
int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *new_mask)
{
	(void)p;
	if (!new_mask->bits)
		return -EINVAL;
	kabi_cur->cpu = kabi_cpu = __builtin_ctzl(new_mask->bits);
	return 0;
}

void kunit_register_suite(struct kunit_suite *suite)
{
	if (kunit_nr_suites < KUNIT_MAX_SUITES)
		kunit_suites[kunit_nr_suites++] = suite;
}

static void kunit_vprint(const char *fmt, __builtin_va_list ap)
{
	kabi_in_libc++;
	vprintf(fmt, ap);
	kabi_in_libc--;
}

static void kunit_print(const char *fmt, ...) __printf(1, 2);
static void kunit_print(const char *fmt, ...)
{
	__builtin_va_list ap;
	__builtin_va_start(ap, fmt);
	kunit_vprint(fmt, ap);
	__builtin_va_end(ap);
}

/* as lib/kunit: "# name: EXPECTATION FAILED at file:line", then the message, each line
 * indented as the case's own lines */
void kunit_fail_at(struct kunit *test, const char *kind, const char *file, int line, const char *fmt, ...)
{
	char msg[2048], *s = msg, *nl;
	__builtin_va_list ap;

	test->status = KUNIT_FAILURE;
	__builtin_va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	__builtin_va_end(ap);
	kunit_print("    # %s: %s FAILED at %s:%d\n", test->name, kind, file, line);
	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s) - 1;
		else
			*nl = '\0';
		if (*s)
			kunit_print("    %s\n", s);
	}
}

void kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	__builtin_va_list ap;
	__builtin_va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	__builtin_va_end(ap);
	test->status = KUNIT_SKIPPED;
}

void kunit_abort(struct kunit *test)
{
	(void)test;
	siglongjmp(kunit_case_jb, 1);
}

/* struct kabi_host: page blocks from the C library, naturally aligned and zeroed */
static void *kunit_alloc_pages(unsigned order)
{
	size_t size = PAGE_SIZE << order;
	void *p = NULL;
	if (posix_memalign(&p, size, size))
		return NULL;
	return memset(p, 0, size);
}

static void kunit_free_pages(void *addr, unsigned order)
{
	(void)order;
	free(addr);
}

static const struct kabi_host kunit_host = { kunit_alloc_pages, kunit_free_pages };

static enum kunit_status kunit_run_case(struct kunit_suite *suite, struct kunit_case *c)
{
	struct kabi_inst *in = kabi_inst_new(KABI_KIND_IOVA);
	struct kunit test = { .name = c->name, .status = KUNIT_SUCCESS };
	int st;

	st = KABI_GUARD(in, {
		if (__sigsetjmp(kunit_case_jb, 0) == 0) {
			if (!suite->init || !suite->init(&test))
				c->run_case(&test);
		}
		if (suite->exit)
			suite->exit(&test);
	});
	if (st) {
		kunit_print("    # %s: the kernel code died: %s\n", c->name, in->msg);
		test.status = KUNIT_FAILURE;
	}
	kabi_inst_free_all(in);
	if (test.status == KUNIT_SKIPPED)
		kunit_print("    ok %zu - %s # SKIP %s\n", (size_t)(c - suite->test_cases) + 1, c->name,
			    test.status_comment);
	else
		kunit_print("    %s %zu - %s\n", test.status == KUNIT_SUCCESS ? "ok" : "not ok",
			    (size_t)(c - suite->test_cases) + 1, c->name);
	return test.status;
}

int main(void)
{
	size_t s, failed_suites = 0;

	kabi_init(&kunit_host, 2000);
	kunit_print("KTAP version 1\n1..%zu\n", kunit_nr_suites);
	for (s = 0; s < kunit_nr_suites; s++) {
		struct kunit_suite *suite = kunit_suites[s];
		struct kunit_case *c;
		size_t n = 0, pass = 0, fail = 0, skip = 0;

		for (c = suite->test_cases; c->run_case; c++)
			n++;
		kunit_print("    KTAP version 1\n    # Subtest: %s\n    1..%zu\n", suite->name, n);
		for (c = suite->test_cases; c->run_case; c++) {
			enum kunit_status r = kunit_run_case(suite, c);
			pass += r == KUNIT_SUCCESS;
			fail += r == KUNIT_FAILURE;
			skip += r == KUNIT_SKIPPED;
		}
		kunit_print("# %s: pass:%zu fail:%zu skip:%zu total:%zu\n", suite->name, pass, fail, skip, n);
		kunit_print("%s %zu - %s\n", fail ? "not ok" : "ok", s + 1, suite->name);
		failed_suites += fail != 0;
	}
	return failed_suites ? 1 : 0;
}
