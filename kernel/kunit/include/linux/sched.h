/* iovet's KUnit shim: the running task, which an exported suite pins to the CPU a case's op
 * runs on (set_cpus_allowed_ptr()). One task: pinning it sets raw_smp_processor_id(). */
#ifndef IOVET_KUNIT_SCHED_H
#define IOVET_KUNIT_SCHED_H

#include <linux/cpumask.h>

struct task_struct;
extern struct task_struct *kunit_current_task;
#define current kunit_current_task

int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *new_mask);

#endif
