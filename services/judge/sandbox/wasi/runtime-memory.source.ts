/**
 * C source of the judge's sbrk, linked into every program ahead of wasi-libc's own: malloc grows
 * memory through it, and it tells the host each new size and each refused growth, so that a run
 * which hit the memory limit is told from one that crashed, even after its worker is stopped.
 */
export const RUNTIME_MEMORY_SOURCE = String.raw`
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#define PAGE 65536

__attribute__((import_module("judge"), import_name("memory_grown"))) void judge_memory_grown(uint32_t pages, int32_t refused);

void *sbrk(intptr_t increment) {
	if (increment == 0) return (void *)(__builtin_wasm_memory_size(0) * PAGE);
	if (increment < 0) abort();
	size_t old = __builtin_wasm_memory_grow(0, ((size_t)increment + PAGE - 1) / PAGE);
	if (old == SIZE_MAX) {
		judge_memory_grown((uint32_t)__builtin_wasm_memory_size(0), 1);
		errno = ENOMEM;
		return (void *)-1;
	}
	judge_memory_grown((uint32_t)__builtin_wasm_memory_size(0), 0);
	return (void *)(old * PAGE);
}
`;
