/* iovet kernel shim: the core kernel API, force-included (-include) before every file.
 * Written for iovet; models the kernel's core headers closely enough for drivers/iommu's
 * iova.c, io-pgtable(-arm).c, dma-iommu.c, lib/rbtree.c and lib/scatterlist.c to compile
 * unmodified in userspace. Single-threaded by design: every lock asserts it is free. */
#ifndef KABI_PRELUDE_H
#define KABI_PRELUDE_H

#include <linux/types.h>

/* ---- compiler ---- */
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define __noreturn __attribute__((__noreturn__))
#define __must_check __attribute__((__warn_unused_result__))
#define __maybe_unused __attribute__((__unused__))
#define __always_unused __attribute__((__unused__))
#define __used __attribute__((__used__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __cold __attribute__((__cold__))
#define __weak __attribute__((__weak__))
#define __pure __attribute__((__pure__))
#define __malloc __attribute__((__malloc__))
#define __alloc_size(...)
#define __realloc_size(...)
#define __counted_by(x)
#define __section(s) __attribute__((__section__(s)))
#define __init
#define __exit
#define __initdata
#define __ref
#define __read_mostly
#define __ro_after_init
#define __cacheline_aligned __attribute__((__aligned__(64)))
#define ____cacheline_aligned __attribute__((__aligned__(64)))
#define ____cacheline_aligned_in_smp __attribute__((__aligned__(64)))
#define __cacheline_aligned_in_smp __attribute__((__aligned__(64)))
#define L1_CACHE_BYTES 64
#define L1_CACHE_SHIFT 6
#define SMP_CACHE_BYTES 64
#define ARCH_DMA_MINALIGN 64
#define cache_line_size() L1_CACHE_BYTES
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __no_sanitize_address
#define notrace
#define fallthrough __attribute__((__fallthrough__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define __UNIQUE_ID(p) __PASTE(__PASTE(__UNIQUE_ID_, p), __COUNTER__)
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define __must_be_array(a) 0
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define offsetof(t, m) __builtin_offsetof(t, m)
#define offsetofend(t, m) (offsetof(t, m) + sizeof(((t *)0)->m))
#define sizeof_field(t, m) sizeof(((t *)0)->m)
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define container_of_const container_of
#define typeof_member(T, m) typeof(((T *)0)->m)
#define BUILD_BUG_ON(c) _Static_assert(!(c), "BUILD_BUG_ON(" #c ")")
#define BUILD_BUG_ON_MSG(c, msg) _Static_assert(!(c), msg)
#define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int : (-!!(e)); })))
#define BUILD_BUG_ON_NOT_POWER_OF_2(n) BUILD_BUG_ON((n) == 0 || (((n) & ((n)-1)) != 0))
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#define __is_constexpr(x) __builtin_constant_p(x)
#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
/* A 64-bit WRITE_ONCE() may publish a word a device reads at any time (arm-smmu-v3.c's STE
 * and CD first words): the running instance's device hears of it (shim/mmio.c). */
void kabi_write_once64(const volatile void *addr);
#define WRITE_ONCE(x, v) do { \
	*(volatile typeof(x) *)&(x) = (v); \
	if (sizeof(x) == 8) \
		kabi_write_once64(&(x)); \
} while (0)
#define data_race(x) (x)
#define lockdep_assert_held(l) do { } while (0)
#define lockdep_assert_irqs_disabled() do { } while (0)
#define might_sleep() do { } while (0)
#define might_sleep_if(c) do { } while (0)
#define cond_resched() do { } while (0)
#define cpu_relax() barrier()
#define prefetch(x) __builtin_prefetch(x)
#define kmemleak_ignore(p) do { } while (0)
#define kmemleak_alloc(...) do { } while (0)
#define kmemleak_free(p) do { } while (0)

/* ---- Kconfig tests: IS_ENABLED(CONFIG_X) is 1 when -DCONFIG_X=1, else 0 (usable in #if) ---- */
#define __kabi_arg_placeholder_1 0,
#define __kabi_second(ignored, val, ...) val
#define __kabi_defined(x) ___kabi_defined(x)
#define ___kabi_defined(val) ____kabi_defined(__kabi_arg_placeholder_##val)
#define ____kabi_defined(arg_or_junk) __kabi_second(arg_or_junk 1, 0)
#define IS_ENABLED(option) __kabi_defined(option)
#define IS_BUILTIN(option) __kabi_defined(option)
#define IS_REACHABLE(option) __kabi_defined(option)
#define IS_MODULE(option) 0

/* ---- limits, bits ---- */
#define USHRT_MAX ((unsigned short)~0U)
#define INT_MAX ((int)(~0U >> 1))
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (~0U)
#define LONG_MAX ((long)(~0UL >> 1))
#define ULONG_MAX (~0UL)
#define LLONG_MAX ((long long)(~0ULL >> 1))
#define ULLONG_MAX (~0ULL)
#define U8_MAX ((u8)~0U)
#define U16_MAX ((u16)~0U)
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define S64_MAX ((s64)(U64_MAX >> 1))
#define SIZE_MAX (~(size_t)0)
#define PHYS_ADDR_MAX (~(phys_addr_t)0)
#define BITS_PER_LONG 64
#define BITS_PER_LONG_LONG 64
#define BITS_PER_BYTE 8
#define _AC(X, Y) (X##Y)
#define _AT(T, X) ((T)(X))
#define _UL(x) (_AC(x, UL))
#define _ULL(x) (_AC(x, ULL))
#define UL(x) (_UL(x))
#define ULL(x) (_ULL(x))
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BITS_TO_LONGS(nr) (((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define GENMASK(h, l) (((~0UL) - (1UL << (l)) + 1) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) (((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (63 - (h))))
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

#define min(x, y) ({ typeof(x) _x = (x); typeof(y) _y = (y); (void)(&_x == &_y); _x < _y ? _x : _y; })
#define max(x, y) ({ typeof(x) _x = (x); typeof(y) _y = (y); (void)(&_x == &_y); _x > _y ? _x : _y; })
#define min3(x, y, z) min((typeof(x))min(x, y), z)
#define max3(x, y, z) max((typeof(x))max(x, y), z)
#define min_t(t, x, y) ({ t _x = (x); t _y = (y); _x < _y ? _x : _y; })
#define max_t(t, x, y) ({ t _x = (x); t _y = (y); _x > _y ? _x : _y; })
#define min_not_zero(x, y) ({ typeof(x) __x = (x); typeof(y) __y = (y); __x == 0 ? __y : ((__y == 0) ? __x : min(__x, __y)); })
#define clamp(v, lo, hi) min((typeof(v))max(v, lo), hi)
#define clamp_t(t, v, lo, hi) min_t(t, max_t(t, v, lo), hi)
#define swap(a, b) do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)
#define abs(x) __builtin_choose_expr(sizeof(x) == 8, __builtin_labs(x), __builtin_abs(x))
#define __ALIGN_KERNEL_MASK(x, mask) (((x) + (mask)) & ~(mask))
#define __ALIGN_KERNEL(x, a) __ALIGN_KERNEL_MASK(x, (typeof(x))(a)-1)
#define ALIGN(x, a) __ALIGN_KERNEL((x), (a))
#define ALIGN_DOWN(x, a) __ALIGN_KERNEL((x) - ((a)-1), (a))
#define PTR_ALIGN(p, a) ((typeof(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a)-1)) == 0)
#define __round_mask(x, y) ((__typeof__(x))((y)-1))
#define round_up(x, y) ((((x)-1) | __round_mask(x, y)) + 1)
#define round_down(x, y) ((x) & ~__round_mask(x, y))
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define DIV_ROUND_UP_ULL(ll, d) DIV_ROUND_UP((unsigned long long)(ll), (d))
#define roundup(x, y) ((((x) + ((y)-1)) / (y)) * (y))
#define rounddown(x, y) ((x) - ((x) % (y)))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n) ((u32)((n)&0xffffffff))
#define do_div(n, base) ({ u32 __base = (base); u32 __rem = (u32)((u64)(n) % __base); (n) = (u64)(n) / __base; __rem; })
#define div_u64(a, b) ((u64)(a) / (u32)(b))
#define div64_u64(a, b) ((u64)(a) / (u64)(b))

static inline unsigned long __ffs(unsigned long w) { return __builtin_ctzl(w); }
static inline unsigned long __fls(unsigned long w) { return 63 - __builtin_clzl(w); }
static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline int fls_long(unsigned long x) { return fls64(x); }
static inline int ffs(int x) { return __builtin_ffs(x); }
static inline unsigned long ffz(unsigned long w) { return __builtin_ctzl(~w); }
static inline unsigned int __ffs64(u64 w) { return __builtin_ctzll(w); }
#define hweight32(w) __builtin_popcount(w)
#define hweight64(w) __builtin_popcountll(w)
#define hweight_long(w) __builtin_popcountl(w)
static inline bool is_power_of_2(unsigned long n) { return n != 0 && ((n & (n - 1)) == 0); }
#define ilog2(n) ((int)(63 - __builtin_clzll((u64)(n))))
#define roundup_pow_of_two(n) ((unsigned long)((n) <= 1 ? 1UL : 1UL << fls_long((n)-1)))
#define rounddown_pow_of_two(n) (1UL << ilog2(n))
#define order_base_2(n) ((n) > 1 ? ilog2((n)-1) + 1 : 0)
#define for_each_set_bit(bit, addr, size) \
	for ((bit) = 0; (bit) < (size); (bit)++) if ((addr)[(bit) / 64] & (1UL << ((bit) % 64)))
static inline void set_bit(long nr, volatile unsigned long *a) { a[nr / 64] |= 1UL << (nr % 64); }
static inline void clear_bit(long nr, volatile unsigned long *a) { a[nr / 64] &= ~(1UL << (nr % 64)); }
static inline int test_bit(long nr, const volatile unsigned long *a) { return (a[nr / 64] >> (nr % 64)) & 1; }
static inline int test_and_set_bit(long nr, volatile unsigned long *a) { int o = test_bit(nr, a); set_bit(nr, a); return o; }
static inline unsigned long find_first_zero_bit(const unsigned long *a, unsigned long size)
{ unsigned long i; for (i = 0; i < size; i++) if (!test_bit(i, a)) return i; return size; }
#define __set_bit set_bit
#define __clear_bit clear_bit

/* ---- errno, err ptr ---- */
#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOSYS 38
#define EOVERFLOW 75
#define ETIMEDOUT 110
#define EREMOTEIO 121
#define EOPNOTSUPP 95
#define ENOTSUPP 524
#define EPROBE_DEFER 517
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long e) { return (void *)e; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p) { return IS_ERR_VALUE((unsigned long)p); }
static inline bool IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR(p); }
static inline void *ERR_CAST(const void *p) { return (void *)p; }
static inline int PTR_ERR_OR_ZERO(const void *p) { return IS_ERR(p) ? (int)PTR_ERR(p) : 0; }

/* ---- strings (libc) ---- */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
char *strchr(const char *s, int c);
int snprintf(char *buf, size_t n, const char *fmt, ...);
int kstrtobool(const char *s, bool *res);

/* ---- the runtime (shim/runtime.c) ---- */
struct kabi_inst;
extern struct kabi_inst *kabi_cur; /* the instance a guarded call is running for */
__noreturn void kabi_bug(const char *file, int line);
void kabi_warn(const char *file, int line, const char *fmt, ...) __printf(3, 4);
bool kabi_warn_once_seen(const void *site); /* per instance */
void kabi_printk(const char *fmt, ...) __printf(1, 2);
void *kabi_malloc(size_t size, gfp_t gfp);
void kabi_free(const void *p);
size_t kabi_alloc_size(const void *p);
void *kabi_alloc_pages_raw(unsigned int order, gfp_t gfp);
void kabi_free_pages_raw(void *addr, unsigned int order);
void kabi_split_pages_raw(void *addr, unsigned int order);

/* ---- BUG / WARN ---- */
#define BUG() kabi_bug(__FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)
#define VM_BUG_ON(c) BUG_ON(c)
#define VM_BUG_ON_PAGE(c, p) BUG_ON(c)
#define VM_WARN_ON(c) WARN_ON(c)
#define WARN(c, fmt...) ({ int __ret_warn = !!(c); unlikely(__ret_warn) ? kabi_warn(__FILE__, __LINE__, fmt) : (void)0; unlikely(__ret_warn); })
#define WARN_ON(c) ({ int __ret_warn = !!(c); unlikely(__ret_warn) ? kabi_warn(__FILE__, __LINE__, "WARN_ON(%s)", #c) : (void)0; unlikely(__ret_warn); })
#define WARN_ONCE(c, fmt...) ({ static const char __kabi_site; int __ret_warn = !!(c); \
	(unlikely(__ret_warn) && !kabi_warn_once_seen(&__kabi_site)) ? kabi_warn(__FILE__, __LINE__, fmt) : (void)0; unlikely(__ret_warn); })
#define WARN_ON_ONCE(c) ({ static const char __kabi_site; int __ret_warn = !!(c); \
	(unlikely(__ret_warn) && !kabi_warn_once_seen(&__kabi_site)) ? kabi_warn(__FILE__, __LINE__, "WARN_ON_ONCE(%s)", #c) : (void)0; unlikely(__ret_warn); })
#define WARN_TAINT(c, t, fmt...) WARN(c, fmt)

/* ---- printk: discarded unless IOVET_KERNEL_DEBUG is set (kabi_printk decides) ---- */
#define KERN_EMERG "<0>"
#define KERN_ALERT "<1>"
#define KERN_CRIT "<2>"
#define KERN_ERR "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE "<5>"
#define KERN_INFO "<6>"
#define KERN_DEBUG "<7>"
#define KERN_CONT ""
#define printk(fmt...) kabi_printk(fmt)
/* pr_fmt is looked up where pr_* is expanded, so a file's own later #define pr_fmt wins. */
#define pr_emerg(fmt, ...) kabi_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) kabi_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) kabi_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) kabi_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) kabi_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) kabi_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) kabi_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) kabi_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) kabi_printk(fmt, ##__VA_ARGS__)
#define pr_warn_once pr_warn
#define pr_err_once pr_err
#define pr_info_once pr_info
#define pr_warn_ratelimited pr_warn
#define pr_err_ratelimited pr_err
#define dev_err(d, fmt, ...) kabi_printk(fmt, ##__VA_ARGS__)
#define dev_warn(d, fmt, ...) kabi_printk(fmt, ##__VA_ARGS__)
#define dev_info(d, fmt, ...) kabi_printk(fmt, ##__VA_ARGS__)
#define dev_dbg(d, fmt, ...) kabi_printk(fmt, ##__VA_ARGS__)
#define dev_notice(d, fmt, ...) kabi_printk(fmt, ##__VA_ARGS__)
#define dev_err_once dev_err
#define dev_warn_once dev_warn
#define dev_err_ratelimited dev_err
#define dev_WARN(d, fmt...) WARN(1, fmt)
#define dev_WARN_ONCE(d, c, fmt...) WARN_ONCE(c, fmt)
#define no_printk(fmt, ...) ({ if (0) kabi_printk(fmt, ##__VA_ARGS__); 0; })
/* pr_fmt's default lives in the shim's headers (kernel.h, printk.h, ...), included after a file's
 * own #define pr_fmt, as in the kernel. */

/* ---- module / init plumbing ---- */
#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_NS_GPL(s, ns)
#define MODULE_LICENSE(x)
#define MODULE_AUTHOR(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_IMPORT_NS(x)
#define MODULE_ALIAS(x)
#define MODULE_DEVICE_TABLE(type, name)
/* module_driver(): the glue calls the driver's probe and remove itself */
#define module_driver(drv, reg, unreg, ...) static __maybe_unused void *__kabi_driver_##drv = &(drv)
#define module_param(a, b, c)
#define MODULE_PARM_DESC(a, b)
#define early_param(s, fn) static __maybe_unused int (*__kabi_early_##fn)(char *) = fn
#define __setup(s, fn) static __maybe_unused int (*__kabi_setup_##fn)(char *) = fn
#define arch_initcall(fn) static __maybe_unused int (*__kabi_initcall_##fn)(void) = fn
#define subsys_initcall(fn) arch_initcall(fn)
#define device_initcall(fn) arch_initcall(fn)
#define late_initcall(fn) arch_initcall(fn)
#define core_initcall(fn) arch_initcall(fn)
#define module_init(fn) arch_initcall(fn)
#define module_exit(fn) static __maybe_unused void (*__kabi_exit_##fn)(void) = fn
#define THIS_MODULE ((struct module *)0)
struct module;
static inline bool is_kdump_kernel(void) { return false; }
/* arm64's asm/cpufeature.h: the host CPU has no VHE (an SMMU with IDR0.HYP gets no E2H) */
#define ARM64_HAS_VIRT_HOST_EXTN 0
#define cpus_have_cap(c) ((void)(c), false)
/* arm64's asm/barrier.h wfe(): nothing to wait for (no SMMU has IDR0.SEV here) */
#define wfe() cpu_relax()
/* little-endian host, as arm64 Linux */
#define cpu_to_le64(x) ((__force __le64)(u64)(x))
#define le64_to_cpu(x) ((__force u64)(__le64)(x))
#define cpu_to_le32(x) ((__force __le32)(u32)(x))
#define le32_to_cpu(x) ((__force u32)(__le32)(x))
/* arm64's asm/memory.h: CONFIG_ARM64_VA_BITS=48 (Debian's arm64 config) */
#define VA_BITS 48

/* ---- barriers, atomics (GCC builtins) ---- */
#define mb() __sync_synchronize()
#define rmb() __sync_synchronize()
#define wmb() __sync_synchronize()
#define smp_mb() __sync_synchronize()
#define smp_rmb() __sync_synchronize()
#define smp_wmb() __sync_synchronize()
#define dma_wmb() __sync_synchronize()
#define dma_rmb() __sync_synchronize()
#define smp_mb__before_atomic() smp_mb()
#define smp_mb__after_atomic() smp_mb()
#define smp_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define ATOMIC_INIT(i) { (i) }
#define atomic_read(v) __atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_set(v, i) __atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_inc(v) ((void)__atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST))
#define atomic_dec(v) ((void)__atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST))
#define atomic_add(i, v) ((void)__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_sub(i, v) ((void)__atomic_sub_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_inc_return(v) __atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_dec_return(v) __atomic_sub_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_add_return(i, v) __atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_dec_and_test(v) (atomic_dec_return(v) == 0)
#define atomic_xchg(v, n) __atomic_exchange_n(&(v)->counter, (n), __ATOMIC_SEQ_CST)
#define atomic_cmpxchg(v, o, n) ({ typeof((v)->counter) __o = (o); __atomic_compare_exchange_n(&(v)->counter, &__o, (n), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); __o; })
#define atomic64_read atomic_read
#define atomic64_set atomic_set
#define atomic64_inc atomic_inc
#define atomic64_dec atomic_dec
#define atomic64_add atomic_add
#define atomic64_inc_return atomic_inc_return
#define atomic64_xchg atomic_xchg
#define atomic64_cmpxchg atomic_cmpxchg
#define atomic_long_read atomic_read
#define atomic_long_set atomic_set
#define atomic_long_inc atomic_inc
#define atomic_long_add atomic_add
/* the relaxed/release orderings the SMMUv3 command queue uses (single-threaded: all seq_cst) */
#define atomic_fetch_inc_relaxed(v) __atomic_fetch_add(&(v)->counter, 1, __ATOMIC_SEQ_CST)
#define atomic_dec_return_release(v) atomic_dec_return(v)
#define atomic_cmpxchg_relaxed(v, o, n) atomic_cmpxchg(v, o, n)
#define atomic_fetch_andnot_release(i, v) __atomic_fetch_and(&(v)->counter, ~(i), __ATOMIC_SEQ_CST)
#define atomic_fetch_andnot_relaxed(i, v) atomic_fetch_andnot_release(i, v)
#define atomic_set_release(v, i) __atomic_store_n(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_long_xor(i, v) ((void)__atomic_xor_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
/* include/asm-generic/barrier.h's smp_cond_load_relaxed(): spins until COND holds for VAL. With
 * one thread a condition no other CPU will make true spins until the hang guard ends the call. */
#define smp_cond_load_relaxed(ptr, cond_expr) ({ typeof(ptr) __PTR = (ptr); typeof(*ptr) VAL; \
	for (;;) { VAL = READ_ONCE(*__PTR); if (cond_expr) break; cpu_relax(); } (typeof(*ptr))VAL; })
#define atomic_cond_read_relaxed(v, c) smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic_long_cond_read_relaxed atomic_cond_read_relaxed
#define xchg(p, n) __atomic_exchange_n((p), (n), __ATOMIC_SEQ_CST)
#define cmpxchg(p, o, n) ({ typeof(*(p)) __o = (o); __atomic_compare_exchange_n((p), &__o, (n), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); __o; })
#define cmpxchg_relaxed(p, o, n) ({ typeof(*(p)) __o = (o); __atomic_compare_exchange_n((p), &__o, (n), 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED); __o; })
#define cmpxchg64 cmpxchg
#define cmpxchg64_relaxed cmpxchg_relaxed
#define cmpxchg64_release cmpxchg
#define try_cmpxchg(p, po, n) __atomic_compare_exchange_n((p), (po), (n), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define refcount_set(r, n) ((r)->refs = (n))
#define refcount_inc(r) ((r)->refs++)
#define refcount_dec_and_test(r) (--(r)->refs == 0)

/* ---- lists (models include/linux/list.h) ---- */
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l) { l->next = l; l->prev = l; }
static inline void __list_add(struct list_head *n, struct list_head *prev, struct list_head *next)
{ next->prev = n; n->next = next; n->prev = prev; prev->next = n; }
static inline void list_add(struct list_head *n, struct list_head *h) { __list_add(n, h, h->next); }
static inline void list_add_tail(struct list_head *n, struct list_head *h) { __list_add(n, h->prev, h); }
static inline void __list_del(struct list_head *prev, struct list_head *next) { next->prev = prev; prev->next = next; }
static inline void list_del(struct list_head *e) { __list_del(e->prev, e->next); e->next = (void *)0x100; e->prev = (void *)0x122; }
static inline void list_del_init(struct list_head *e) { __list_del(e->prev, e->next); INIT_LIST_HEAD(e); }
static inline int list_empty(const struct list_head *h) { return READ_ONCE(h->next) == h; }
static inline int list_is_last(const struct list_head *l, const struct list_head *h) { return l->next == h; }
static inline int list_is_singular(const struct list_head *h) { return !list_empty(h) && (h->next == h->prev); }
static inline void list_move(struct list_head *l, struct list_head *h) { __list_del(l->prev, l->next); list_add(l, h); }
static inline void list_move_tail(struct list_head *l, struct list_head *h) { __list_del(l->prev, l->next); list_add_tail(l, h); }
static inline void __list_splice(const struct list_head *list, struct list_head *prev, struct list_head *next)
{ struct list_head *first = list->next, *last = list->prev; first->prev = prev; prev->next = first; last->next = next; next->prev = last; }
static inline void list_splice(const struct list_head *l, struct list_head *h) { if (!list_empty(l)) __list_splice(l, h, h->next); }
static inline void list_splice_tail(struct list_head *l, struct list_head *h) { if (!list_empty(l)) __list_splice(l, h->prev, h); }
static inline void list_splice_init(struct list_head *l, struct list_head *h) { if (!list_empty(l)) { __list_splice(l, h, h->next); INIT_LIST_HEAD(l); } }
static inline void list_splice_tail_init(struct list_head *l, struct list_head *h) { if (!list_empty(l)) { __list_splice(l, h->prev, h); INIT_LIST_HEAD(l); } }
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member) list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member) (list_empty(ptr) ? NULL : list_first_entry(ptr, type, member))
#define list_next_entry(pos, member) list_entry((pos)->member.next, typeof(*(pos)), member)
#define list_prev_entry(pos, member) list_entry((pos)->member.prev, typeof(*(pos)), member)
#define list_entry_is_head(pos, head, member) (&pos->member == (head))
#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_safe(pos, n, head) for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, typeof(*pos), member); !list_entry_is_head(pos, head, member); pos = list_next_entry(pos, member))
#define list_for_each_entry_reverse(pos, head, member) \
	for (pos = list_last_entry(head, typeof(*pos), member); !list_entry_is_head(pos, head, member); pos = list_prev_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_first_entry(head, typeof(*pos), member), n = list_next_entry(pos, member); \
	     !list_entry_is_head(pos, head, member); pos = n, n = list_next_entry(n, member))
#define INIT_HLIST_HEAD(ptr) ((ptr)->first = NULL)
static inline void INIT_HLIST_NODE(struct hlist_node *h) { h->next = NULL; h->pprev = NULL; }
#define hlist_entry(ptr, type, member) container_of(ptr, type, member)
#define hlist_entry_safe(ptr, type, member) ({ typeof(ptr) ____ptr = (ptr); ____ptr ? hlist_entry(____ptr, type, member) : NULL; })
static inline int hlist_unhashed(const struct hlist_node *h) { return !h->pprev; }

/* ---- locks: single-threaded, recursion is a BUG (models spinlock/mutex semantics) ---- */
typedef struct { int locked; } spinlock_t;
typedef struct { int locked; } raw_spinlock_t;
typedef struct { int locked; } rwlock_t;
struct mutex { int locked; };
struct lock_class_key { int unused; };
#define __SPIN_LOCK_UNLOCKED(n) { 0 }
#define DEFINE_SPINLOCK(n) spinlock_t n = { 0 }
#define DEFINE_RAW_SPINLOCK(n) raw_spinlock_t n = { 0 }
#define DEFINE_MUTEX(n) struct mutex n = { 0 }
#define __MUTEX_INITIALIZER(n) { 0 }
#define kabi_lock(l) do { BUG_ON((l)->locked); (l)->locked = 1; } while (0)
#define kabi_unlock(l) do { BUG_ON(!(l)->locked); (l)->locked = 0; } while (0)
#define spin_lock_init(l) ((l)->locked = 0)
#define raw_spin_lock_init(l) ((l)->locked = 0)
#define mutex_init(l) ((l)->locked = 0)
#define mutex_destroy(l) do { } while (0)
#define spin_lock(l) kabi_lock(l)
#define spin_unlock(l) kabi_unlock(l)
#define spin_lock_irq(l) kabi_lock(l)
#define spin_unlock_irq(l) kabi_unlock(l)
#define spin_lock_bh(l) kabi_lock(l)
#define spin_unlock_bh(l) kabi_unlock(l)
#define spin_lock_irqsave(l, f) do { (f) = 0; kabi_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f) do { (void)(f); kabi_unlock(l); } while (0)
#define raw_spin_lock(l) kabi_lock(l)
#define raw_spin_unlock(l) kabi_unlock(l)
#define raw_spin_lock_irqsave(l, f) spin_lock_irqsave(l, f)
#define raw_spin_unlock_irqrestore(l, f) spin_unlock_irqrestore(l, f)
#define spin_trylock(l) ((l)->locked ? 0 : ((l)->locked = 1))
#define spin_is_locked(l) ((l)->locked)
#define assert_spin_locked(l) BUG_ON(!(l)->locked)
#define mutex_lock(l) kabi_lock(l)
#define mutex_unlock(l) kabi_unlock(l)
#define mutex_is_locked(l) ((l)->locked)
#define local_irq_save(f) ((f) = 0)
#define local_irq_restore(f) ((void)(f))
#define local_irq_disable() do { } while (0)
#define local_irq_enable() do { } while (0)
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_dereference(p) (p)
#define rcu_dereference_raw(p) (p)
#define rcu_access_pointer(p) (p)
#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)
#define RCU_INIT_POINTER(p, v) ((p) = (v))
#define synchronize_rcu() do { } while (0)

/* ---- per-CPU: NR_CPUS copies, the current CPU settable by the glue ---- */
#define NR_CPUS 4
#define nr_cpu_ids NR_CPUS
extern int kabi_cpu;
#define smp_processor_id() (kabi_cpu)
#define raw_smp_processor_id() (kabi_cpu)
#define get_cpu() (kabi_cpu)
#define put_cpu() do { } while (0)
#define num_possible_cpus() NR_CPUS
#define num_online_cpus() NR_CPUS
#define for_each_possible_cpu(c) for ((c) = 0; (c) < NR_CPUS; (c)++)
#define for_each_online_cpu(c) for_each_possible_cpu(c)
#define cpu_online(c) ((c) < NR_CPUS)
/* an alloc_percpu() block: a 64-byte header holding the stride, then NR_CPUS copies */
void *kabi_alloc_percpu(size_t size, size_t align);
void kabi_free_percpu(void *p);
#define alloc_percpu(type) ((typeof(type) *)kabi_alloc_percpu(sizeof(type), __alignof__(type)))
#define alloc_percpu_gfp(type, gfp) alloc_percpu(type)
#define __alloc_percpu(size, align) kabi_alloc_percpu(size, align)
#define free_percpu(p) kabi_free_percpu(p)
#define kabi_percpu_stride(p) (((const size_t *)(const void *)(p))[-1])
#define per_cpu_ptr(p, cpu) ((typeof(p))((char *)(p) + (size_t)(cpu) * kabi_percpu_stride(p)))
#define raw_cpu_ptr(p) per_cpu_ptr(p, kabi_cpu)
#define this_cpu_ptr(p) per_cpu_ptr(p, kabi_cpu)
#define get_cpu_ptr(p) per_cpu_ptr(p, kabi_cpu)
#define put_cpu_ptr(p) do { (void)(p); } while (0)

/* ---- cpu hotplug: callbacks registered, never run ---- */
enum cpuhp_state { CPUHP_INVALID = -1, CPUHP_IOMMU_IOVA_DEAD = 60, CPUHP_AP_ONLINE_DYN = 200 };
static inline int cpuhp_setup_state_multi(enum cpuhp_state s, const char *n, int (*up)(unsigned int, struct hlist_node *),
					  int (*down)(unsigned int, struct hlist_node *)) { (void)n; (void)up; (void)down; return s == CPUHP_AP_ONLINE_DYN ? 201 : 0; }
static inline int cpuhp_setup_state_nocalls(enum cpuhp_state s, const char *n, int (*up)(unsigned int), int (*down)(unsigned int)) { (void)s; (void)n; (void)up; (void)down; return 0; }
static inline int cpuhp_state_add_instance_nocalls(enum cpuhp_state s, struct hlist_node *n) { (void)s; (void)n; return 0; }
static inline int cpuhp_state_remove_instance_nocalls(enum cpuhp_state s, struct hlist_node *n) { (void)s; (void)n; return 0; }
static inline void cpuhp_remove_multi_state(enum cpuhp_state s) { (void)s; }
static inline void cpuhp_remove_state_nocalls(enum cpuhp_state s) { (void)s; }

/* ---- static keys ---- */
struct static_key_false { int enabled; };
struct static_key_true { int enabled; };
#define DEFINE_STATIC_KEY_FALSE(n) struct static_key_false n = { 0 }
#define DEFINE_STATIC_KEY_TRUE(n) struct static_key_true n = { 1 }
#define DECLARE_STATIC_KEY_FALSE(n) extern struct static_key_false n
#define static_branch_likely(k) likely((k)->enabled)
#define static_branch_unlikely(k) unlikely((k)->enabled)
#define static_branch_enable(k) ((k)->enabled = 1)
#define static_branch_disable(k) ((k)->enabled = 0)
#define static_key_enabled(k) ((k)->enabled)

/* ---- time, timers: recorded, fired only on request ---- */
extern unsigned long volatile jiffies;
#define HZ 1000
static inline unsigned long msecs_to_jiffies(unsigned int m) { return m; }
static inline unsigned int jiffies_to_msecs(unsigned long j) { return j; }
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
struct timer_list {
	struct hlist_node entry;
	unsigned long expires;
	void (*function)(struct timer_list *);
	u32 flags;
	int pending;
};
#define from_timer(var, t, field) container_of(t, typeof(*var), field)
static inline void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags)
{ t->function = fn; t->flags = flags; t->pending = 0; t->expires = 0; }
static inline int mod_timer(struct timer_list *t, unsigned long expires) { int was = t->pending; t->expires = expires; t->pending = 1; return was; }
static inline int del_timer(struct timer_list *t) { int was = t->pending; t->pending = 0; return was; }
#define del_timer_sync del_timer
#define timer_pending(t) ((t)->pending)

/* ---- memory: kmalloc/kmem_cache/vmalloc tracked per instance ---- */
#define ___GFP_DMA 0x01u
#define ___GFP_HIGHMEM 0x02u
#define ___GFP_DMA32 0x04u
#define ___GFP_MOVABLE 0x08u
#define __GFP_DMA ___GFP_DMA
#define __GFP_HIGHMEM ___GFP_HIGHMEM
#define __GFP_DMA32 ___GFP_DMA32
#define __GFP_MOVABLE ___GFP_MOVABLE
#define __GFP_RECLAIMABLE 0x10u
#define __GFP_HIGH 0x20u
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_ZERO 0x100u
#define __GFP_ATOMIC 0x200u
#define __GFP_DIRECT_RECLAIM 0x400u
#define __GFP_KSWAPD_RECLAIM 0x800u
#define __GFP_WRITE 0x1000u
#define __GFP_NOWARN 0x2000u
#define __GFP_RETRY_MAYFAIL 0x4000u
#define __GFP_NOFAIL 0x8000u
#define __GFP_NORETRY 0x10000u
#define __GFP_MEMALLOC 0x20000u
#define __GFP_COMP 0x40000u
#define __GFP_NOMEMALLOC 0x80000u
#define __GFP_HARDWALL 0x100000u
#define __GFP_THISNODE 0x200000u
#define __GFP_ACCOUNT 0x400000u
#define __GFP_NOLOCKDEP 0x800000u
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ATOMIC (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
static inline bool gfpflags_allow_blocking(gfp_t g) { return !!(g & __GFP_DIRECT_RECLAIM); }
#define NUMA_NO_NODE (-1)
#define MAX_ORDER 11
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define SLAB_HWCACHE_ALIGN 0x2000u
#define SLAB_PANIC 0x40000u
#define SLAB_RECLAIM_ACCOUNT 0x20000u
#define SLAB_ACCOUNT 0x4000000u
struct kmem_cache { const char *name; size_t size; size_t align; };
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align, slab_flags_t flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *c);
void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *c, void *p);
#define kmem_cache_zalloc(c, g) kmem_cache_alloc(c, (g) | __GFP_ZERO)
#define KMEM_CACHE(s, f) kmem_cache_create(#s, sizeof(struct s), __alignof__(struct s), (f), NULL)
static inline void *kmalloc(size_t s, gfp_t g) { return kabi_malloc(s, g); }
static inline void *kzalloc(size_t s, gfp_t g) { return kabi_malloc(s, g | __GFP_ZERO); }
static inline void *kmalloc_node(size_t s, gfp_t g, int n) { (void)n; return kabi_malloc(s, g); }
static inline void *kzalloc_node(size_t s, gfp_t g, int n) { (void)n; return kabi_malloc(s, g | __GFP_ZERO); }
static inline void *kmalloc_array(size_t n, size_t s, gfp_t g) { size_t b; if (__builtin_mul_overflow(n, s, &b)) return NULL; return kabi_malloc(b, g); }
static inline void *kcalloc(size_t n, size_t s, gfp_t g) { return kmalloc_array(n, s, g | __GFP_ZERO); }
static inline void *kmalloc_array_node(size_t n, size_t s, gfp_t g, int node) { (void)node; return kmalloc_array(n, s, g); }
static inline void *kcalloc_node(size_t n, size_t s, gfp_t g, int node) { (void)node; return kcalloc(n, s, g); }
static inline void kfree(const void *p) { kabi_free(p); }
static inline void kfree_sensitive(const void *p) { kabi_free(p); }
static inline size_t ksize(const void *p) { return kabi_alloc_size(p); }
static inline void *kvmalloc(size_t s, gfp_t g) { return kabi_malloc(s, g); }
static inline void *kvzalloc(size_t s, gfp_t g) { return kabi_malloc(s, g | __GFP_ZERO); }
static inline void *kvmalloc_array(size_t n, size_t s, gfp_t g) { return kmalloc_array(n, s, g); }
static inline void *kvcalloc(size_t n, size_t s, gfp_t g) { return kcalloc(n, s, g); }
static inline void kvfree(const void *p) { kabi_free(p); }
static inline void *vmalloc(unsigned long s) { return kabi_malloc(s, GFP_KERNEL); }
static inline void *vzalloc(unsigned long s) { return kabi_malloc(s, GFP_KERNEL | __GFP_ZERO); }
static inline void vfree(const void *p) { kabi_free(p); }
#define kfree_rcu(p, f) kfree(p)

/* ---- pages: from the host; struct page * is the page's own address ---- */
#ifndef KABI_PAGE_SHIFT
#error "KABI_PAGE_SHIFT must be defined (kernel/cflags: -DKABI_PAGE_SHIFT=@PAGE_SHIFT@)"
#endif
#define PAGE_SHIFT KABI_PAGE_SHIFT
#define PAGE_SIZE (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(a) ALIGN(a, PAGE_SIZE)
#define PAGE_ALIGNED(a) IS_ALIGNED((unsigned long)(a), PAGE_SIZE)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_ALIGN(x) (((unsigned long)(x) + (PAGE_SIZE - 1)) & PAGE_MASK)
/* sizeof(struct page) == PAGE_SIZE, so page + n is the n-th following page. Only lru is ever
 * written by the code under test (put_pages_list() free lists, unused by io-pgtable-arm). */
struct page {
	union {
		struct list_head lru;
		unsigned long private;
		char kabi_bytes[1UL << KABI_PAGE_SHIFT];
	};
};
typedef struct { u64 pgprot; } pgprot_t;
#define __pgprot(x) ((pgprot_t){ (x) })
#define pgprot_val(x) ((x).pgprot)
#define PAGE_KERNEL __pgprot(0)
#define pgprot_noncached(p) (p)
#define pgprot_writecombine(p) (p)
#define pgprot_dmacoherent(p) (p)
#define __pa(x) ((phys_addr_t)(unsigned long)(x))
#define __va(x) ((void *)(unsigned long)(x))
#define __pa_symbol(x) __pa(x)
static inline phys_addr_t virt_to_phys(const volatile void *a) { return (phys_addr_t)(unsigned long)a; }
static inline void *phys_to_virt(phys_addr_t a) { return (void *)(unsigned long)a; }
#define virt_to_page(a) ((struct page *)((unsigned long)(a) & PAGE_MASK))
#define page_to_virt(p) ((void *)(p))
#define page_address(p) ((void *)(p))
#define lowmem_page_address(p) ((void *)(p))
#define page_to_pfn(p) ((unsigned long)(p) >> PAGE_SHIFT)
#define pfn_to_page(pfn) ((struct page *)((unsigned long)(pfn) << PAGE_SHIFT))
#define page_to_phys(p) ((phys_addr_t)(unsigned long)(p))
#define phys_to_page(a) pfn_to_page(PHYS_PFN(a))
#define pfn_valid(pfn) 1
#define nth_page(p, n) ((p) + (n))
#define virt_addr_valid(a) 1
#define PageHighMem(p) 0
#define PageCompound(p) 0
#define PageReserved(p) 0
#define page_count(p) 1
#define page_zone(p) NULL
#define page_to_nid(p) 0
#define kmap_local_page(p) page_address(p)
#define kunmap_local(a) do { (void)(a); } while (0)
#define kmap_atomic(p) page_address(p)
#define kunmap_atomic(a) do { (void)(a); } while (0)
#define kmap(p) page_address(p)
#define kunmap(p) do { (void)(p); } while (0)
#define flush_dcache_page(p) do { (void)(p); } while (0)
#define flush_kernel_dcache_page(p) do { } while (0)
static inline unsigned int get_order(unsigned long size)
{ return size <= PAGE_SIZE ? 0 : (unsigned int)(fls64(size - 1) - PAGE_SHIFT); }
static inline struct page *alloc_pages(gfp_t g, unsigned int order) { return (struct page *)kabi_alloc_pages_raw(order, g); }
static inline struct page *alloc_pages_node(int nid, gfp_t g, unsigned int order) { (void)nid; return alloc_pages(g, order); }
#define alloc_page(g) alloc_pages(g, 0)
static inline unsigned long __get_free_pages(gfp_t g, unsigned int order) { return (unsigned long)kabi_alloc_pages_raw(order, g); }
#define __get_free_page(g) __get_free_pages(g, 0)
#define get_zeroed_page(g) __get_free_pages((g) | __GFP_ZERO, 0)
static inline void free_pages(unsigned long addr, unsigned int order) { if (addr) kabi_free_pages_raw((void *)addr, order); }
#define free_page(a) free_pages(a, 0)
static inline void __free_pages(struct page *p, unsigned int order) { kabi_free_pages_raw(p, order); }
#define __free_page(p) __free_pages(p, 0)
#define put_page(p) __free_pages(p, 0)
static inline void split_page(struct page *p, unsigned int order) { kabi_split_pages_raw(p, order); }
static inline void put_pages_list(struct list_head *pages)
{	/* models mm/swap.c put_pages_list(): each page on @pages (via lru) is freed */
	while (!list_empty(pages)) { struct page *p = list_first_entry(pages, struct page, lru); list_del(&p->lru); __free_pages(p, 0); }
}
static inline int dev_to_node_kabi(void) { return NUMA_NO_NODE; }
#define numa_mem_id() 0
#define numa_node_id() 0
#define cpu_to_node(c) 0
bool is_vmalloc_addr(const void *x);
struct page *vmalloc_to_page(const void *addr);

/* ---- misc ---- */
struct device;
const char *dev_name(const struct device *dev);
#define __builtin_return_address_kabi 0
struct mm_struct;
struct attribute_group;
struct msi_desc;
struct msi_msg;
struct iommu_ops;
struct iommu_sva;
static inline bool pagefault_disabled(void) { return false; }
typedef int (*cmp_func_t)(const void *a, const void *b);
struct kref { refcount_t refcount; };
struct kobject { const char *name; };
struct work_struct { int unused; };
struct notifier_block { int unused; };
struct seq_file;
struct file;
struct vm_area_struct { unsigned long vm_start, vm_end, vm_pgoff; pgprot_t vm_page_prot; };
#define vma_pages(v) (((v)->vm_end - (v)->vm_start) >> PAGE_SHIFT)
struct fwnode_handle { int unused; };
struct kabi_of_prop;
struct device_node { struct fwnode_handle fwnode; const struct kabi_of_prop *props; };
struct resource { resource_size_t start, end; const char *name; unsigned long flags; };
struct sg_table;
struct scatterlist;

#endif
