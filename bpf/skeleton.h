/* The C side of the skeletons: tools/EbpfPS.Skeletons writes C# for the types of an object's globals and maps,
 * and for those named with SKELETON_TYPE, which no global or map carries (the records of a ring, the enums of
 * their fields). A pointer in .rodata is the least that brings a type into the object's BTF. */
#ifndef EBPFPS_SKELETON_H
#define EBPFPS_SKELETON_H

#define SKELETON_TYPE(type, name) type *const volatile btf_##name = 0

#endif
