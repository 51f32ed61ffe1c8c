/* iovet's KUnit shim: the CPU masks an exported suite pins its task with. The shim's CPUs
 * are prelude.h's NR_CPUS; bit n of a mask is CPU n. */
#ifndef IOVET_KUNIT_CPUMASK_H
#define IOVET_KUNIT_CPUMASK_H

struct cpumask {
	unsigned long bits;
};

extern const struct cpumask kunit_cpu_masks[NR_CPUS];
extern const struct cpumask kunit_cpu_possible;
#define cpumask_of(cpu) (&kunit_cpu_masks[(cpu)])
#define cpu_possible_mask (&kunit_cpu_possible)

#endif
