/* Bounds the verifier can see: older kernels (6.1 among them) forget a value's range after a byte swap (bpf_ntohs),
 * and the compiler may move or drop a plain mask it deems redundant. */
#ifndef EBPFPS_BOUNDED_H
#define EBPFPS_BOUNDED_H

/* n & mask, done where the verifier sees it: the compiler may otherwise move or drop a plain mask
 * and the verifier then rejects a variable-size read. */
static __always_inline __u32 bounded(__u32 n, __u32 mask)
{
	asm volatile("%[n] &= %[mask]" : [n] "+r"(n) : [mask] "i"(mask));
	return n;
}

#endif
