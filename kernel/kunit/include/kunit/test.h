/* iovet's KUnit shim: the part of include/kunit/test.h that suites written by
 * `iovet export --kunit` use, for running them in userspace against a kernel tree compiled
 * with iovet's shim. kernel/kunit/runner.c runs every registered suite and prints KTAP as
 * lib/kunit/test.c does, so tools/testing/kunit/kunit.py parses it. */
#ifndef IOVET_KUNIT_TEST_H
#define IOVET_KUNIT_TEST_H

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/types.h>

enum kunit_status { KUNIT_SUCCESS, KUNIT_FAILURE, KUNIT_SKIPPED };

struct kunit {
	const char *name;
	enum kunit_status status;
	char status_comment[256];
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }

struct kunit_suite {
	const char name[256];
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

/* runner.c: registration, reporting, and leaving a case (KUNIT_ASSERT_*, kunit_skip) */
void kunit_register_suite(struct kunit_suite *suite);
void kunit_fail_at(struct kunit *test, const char *kind, const char *file, int line, const char *fmt, ...)
	__printf(5, 6);
__noreturn void kunit_abort(struct kunit *test);
void kunit_mark_skipped(struct kunit *test, const char *fmt, ...) __printf(2, 3);

/* test-managed memory: the runner frees what a case allocated when it ends */
static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	(void)test;
	return kzalloc(size, gfp);
}

#define kunit_test_suites(...)                                                 \
	static struct kunit_suite *__kunit_suites[] = { __VA_ARGS__ };         \
	static __attribute__((constructor)) void __kunit_register(void)        \
	{                                                                      \
		size_t i;                                                      \
		for (i = 0; i < ARRAY_SIZE(__kunit_suites); i++)               \
			kunit_register_suite(__kunit_suites[i]);               \
	}
#define kunit_test_suite(suite) kunit_test_suites(&suite)

#define kunit_skip(test, fmt, ...) do {                                        \
		kunit_mark_skipped(test, fmt, ##__VA_ARGS__);                  \
		kunit_abort(test);                                             \
	} while (0)

/* One check: on failure the message reads as the kernel's ("Expected a == b, but"). The
 * expressions' text goes in as arguments: it may hold a '%'. */
#define KUNIT_CHECK(test, kind, cond, text, fmt, ...) do {                     \
		if (!(cond)) {                                                 \
			kunit_fail_at(test, kind, __FILE__, __LINE__,          \
				      "Expected %s, but\n" fmt, text,          \
				      ##__VA_ARGS__);                          \
			if (kind[0] == 'A')                                    \
				kunit_abort(test);                             \
		}                                                              \
	} while (0)

#define KUNIT_BINARY(test, kind, l, op, r, fmt, ...)                           \
	KUNIT_CHECK(test, kind, (l) op (r), #l " " #op " " #r,                 \
		    "    %s == %lld (0x%llx)\n    %s == %lld (0x%llx)\n" fmt, \
		    #l, (long long)(l), (unsigned long long)(l),               \
		    #r, (long long)(r), (unsigned long long)(r), ##__VA_ARGS__)

#define KUNIT_FAIL(test, fmt, ...)                                             \
	kunit_fail_at(test, "EXPECTATION", __FILE__, __LINE__, fmt "\n", ##__VA_ARGS__)

#define KUNIT_EXPECT_TRUE_MSG(test, c, fmt, ...)                               \
	KUNIT_CHECK(test, "EXPECTATION", c, #c " is true", "    %s is false\n" fmt, #c, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE(test, c) KUNIT_EXPECT_TRUE_MSG(test, c, "")
#define KUNIT_EXPECT_FALSE(test, c) KUNIT_EXPECT_FALSE_MSG(test, c, "")
#define KUNIT_EXPECT_FALSE_MSG(test, c, fmt, ...)                              \
	KUNIT_CHECK(test, "EXPECTATION", !(c), #c " is false", "    %s is true\n" fmt, #c, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ_MSG(test, l, r, fmt, ...) KUNIT_BINARY(test, "EXPECTATION", l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(test, l, r, fmt, ...) KUNIT_BINARY(test, "EXPECTATION", l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(test, l, r, fmt, ...) KUNIT_BINARY(test, "EXPECTATION", l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(test, l, r, fmt, ...) KUNIT_BINARY(test, "EXPECTATION", l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ(test, l, r) KUNIT_EXPECT_EQ_MSG(test, l, r, "")
#define KUNIT_EXPECT_NE(test, l, r) KUNIT_EXPECT_NE_MSG(test, l, r, "")
#define KUNIT_ASSERT_TRUE_MSG(test, c, fmt, ...)                               \
	KUNIT_CHECK(test, "ASSERTION", c, #c " is true", "    %s is false\n" fmt, #c, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL(test, p)                                         \
	KUNIT_CHECK(test, "ASSERTION", (p) != NULL, #p " is not null", "    %s is NULL\n", #p)
#define KUNIT_ASSERT_EQ(test, l, r) KUNIT_BINARY(test, "ASSERTION", l, ==, r, "")

#endif
