/* iovet shim: no tracepoints */
#define trace_swiotlb_bounced(...) do { } while (0)
