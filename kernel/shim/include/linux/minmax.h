/* iovet shim: core API comes from the force-included prelude.h */
