/**
 * C++ source of the exception runtime linked into every C++ program. The sysroot's libc++abi is
 * built without exceptions, so throwing, catching and the personality routine (which reads the
 * tables clang emits for WebAssembly exceptions: one call-site entry per landing pad) are here.
 * Type matching is libc++abi's own (__shim_type_info::can_catch, reached through its vtable).
 * Library code compiled into libc++.a (std::stoi, ...) still cannot throw: it aborts instead.
 */
export const RUNTIME_EXCEPTIONS_SOURCE = String.raw`
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <typeinfo>

__asm__(".globl __cpp_exception\n.tagtype __cpp_exception i32\n__cpp_exception:\n");

namespace __cxxabiv1 {
// Declared as libc++abi declares it, so that can_catch is called through the same vtable slot.
class __shim_type_info : public std::type_info {
public:
	virtual ~__shim_type_info();
	virtual void noop1() const;
	virtual void noop2() const;
	virtual bool can_catch(const __shim_type_info *thrown, void *&adjusted) const = 0;
};
}

namespace {
using __cxxabiv1::__shim_type_info;

constexpr uint64_t OUR_CLASS = 0x434C4E47432B2B00ULL;
constexpr int HANDLER_FOUND = 6;
constexpr int CONTINUE_UNWIND = 8;
constexpr uint8_t OMIT = 0xff;

struct UnwindException {
	uint64_t exceptionClass;
	void (*cleanup)(int, UnwindException *);
	uintptr_t private1;
	uintptr_t private2;
};

struct alignas(16) Header {
	const std::type_info *type;
	void *(*destructor)(void *);
	int handlerCount;
	Header *nextCaught;
	void *adjusted;
	UnwindException unwind;
};

Header *caughtStack = nullptr;

Header *headerOf(void *unwind) {
	return reinterpret_cast<Header *>(static_cast<char *>(unwind) - offsetof(Header, unwind));
}
void *objectOf(Header *header) { return header + 1; }
const __shim_type_info *shim(const std::type_info *type) { return static_cast<const __shim_type_info *>(type); }

uintptr_t readUleb(const uint8_t *&p) {
	uintptr_t result = 0;
	unsigned shift = 0;
	uint8_t byte;
	do {
		byte = *p++;
		result |= uintptr_t(byte & 0x7f) << shift;
		shift += 7;
	} while (byte & 0x80);
	return result;
}

intptr_t readSleb(const uint8_t *&p) {
	uintptr_t result = 0;
	unsigned shift = 0;
	uint8_t byte;
	do {
		byte = *p++;
		result |= uintptr_t(byte & 0x7f) << shift;
		shift += 7;
	} while (byte & 0x80);
	if ((byte & 0x40) && shift < sizeof(result) * 8) result |= ~uintptr_t(0) << shift;
	return static_cast<intptr_t>(result);
}

template <typename T> uintptr_t readFixed(const uint8_t *&p) {
	T value;
	memcpy(&value, p, sizeof(T));
	p += sizeof(T);
	return static_cast<uintptr_t>(value);
}

uintptr_t readEncoded(const uint8_t *&p, uint8_t encoding) {
	if (encoding == OMIT) return 0;
	const uint8_t *start = p;
	uintptr_t result;
	switch (encoding & 0x0f) {
	case 0x00: result = readFixed<uintptr_t>(p); break;
	case 0x01: result = readUleb(p); break;
	case 0x02: result = readFixed<uint16_t>(p); break;
	case 0x03: result = readFixed<uint32_t>(p); break;
	case 0x04: result = readFixed<uint64_t>(p); break;
	case 0x09: result = static_cast<uintptr_t>(readSleb(p)); break;
	case 0x0a: result = readFixed<int16_t>(p); break;
	case 0x0b: result = readFixed<int32_t>(p); break;
	case 0x0c: result = readFixed<int64_t>(p); break;
	default: abort();
	}
	if ((encoding & 0x70) == 0x10) result += reinterpret_cast<uintptr_t>(start);
	else if ((encoding & 0x70) != 0) abort();
	if (result != 0 && (encoding & 0x80)) result = *reinterpret_cast<const uintptr_t *>(result);
	return result;
}

size_t encodedSize(uint8_t encoding) {
	switch (encoding & 0x0f) {
	case 0x00: return sizeof(uintptr_t);
	case 0x02: case 0x0a: return 2;
	case 0x03: case 0x0b: return 4;
	case 0x04: case 0x0c: return 8;
	default: abort();
	}
}

const __shim_type_info *catchTypeAt(const uint8_t *types, uint8_t encoding, intptr_t index) {
	const uint8_t *p = types - static_cast<size_t>(index) * encodedSize(encoding);
	return reinterpret_cast<const __shim_type_info *>(readEncoded(p, encoding));
}
}

extern "C" {
struct LandingPadContext {
	uintptr_t lpadIndex;
	uintptr_t lsda;
	uintptr_t selector;
};
thread_local LandingPadContext __wasm_lpad_context;

void *__cxa_allocate_exception(size_t size) noexcept {
	size_t bytes = (sizeof(Header) + size + alignof(Header) - 1) / alignof(Header) * alignof(Header);
	void *memory = aligned_alloc(alignof(Header), bytes);
	if (!memory) std::terminate();
	memset(memory, 0, sizeof(Header));
	return objectOf(static_cast<Header *>(memory));
}

void __cxa_free_exception(void *object) noexcept { free(static_cast<Header *>(object) - 1); }

[[noreturn]] void __cxa_throw(void *object, std::type_info *type, void *(*destructor)(void *)) {
	Header *header = static_cast<Header *>(object) - 1;
	header->type = type;
	header->destructor = destructor;
	header->unwind.exceptionClass = OUR_CLASS;
	__builtin_wasm_throw(0, &header->unwind);
}

// Called by every catching landing pad: finds which of its catch clauses, if any, takes the exception.
int _Unwind_CallPersonality(void *unwind) {
	__wasm_lpad_context.selector = 0;
	if (static_cast<UnwindException *>(unwind)->exceptionClass != OUR_CLASS) return CONTINUE_UNWIND;
	Header *header = headerOf(unwind);
	const uint8_t *lsda = reinterpret_cast<const uint8_t *>(__wasm_lpad_context.lsda);
	if (!lsda) return CONTINUE_UNWIND;
	uint8_t startEncoding = *lsda++;
	readEncoded(lsda, startEncoding);
	uint8_t typeEncoding = *lsda++;
	const uint8_t *types = nullptr;
	if (typeEncoding != OMIT) {
		uintptr_t offset = readUleb(lsda);
		types = lsda + offset;
	}
	lsda++;
	uintptr_t callSitesLength = readUleb(lsda);
	const uint8_t *callSite = lsda;
	const uint8_t *actions = lsda + callSitesLength;
	for (uintptr_t index = 0; callSite < actions; index++) {
		readUleb(callSite);
		uintptr_t action = readUleb(callSite);
		if (index != __wasm_lpad_context.lpadIndex) continue;
		if (action == 0) return CONTINUE_UNWIND;
		const uint8_t *record = actions + action - 1;
		for (;;) {
			intptr_t typeIndex = readSleb(record);
			if (typeIndex > 0) {
				const __shim_type_info *catchType = catchTypeAt(types, typeEncoding, typeIndex);
				void *adjusted = objectOf(header);
				if (!catchType || catchType->can_catch(shim(header->type), adjusted)) {
					header->adjusted = adjusted;
					__wasm_lpad_context.selector = static_cast<uintptr_t>(typeIndex);
					return HANDLER_FOUND;
				}
			}
			const uint8_t *next = record;
			intptr_t offset = readSleb(next);
			if (offset == 0) return CONTINUE_UNWIND;
			record += offset;
		}
	}
	std::terminate();
}

void *__cxa_get_exception_ptr(void *unwind) noexcept { return headerOf(unwind)->adjusted; }

void *__cxa_begin_catch(void *unwind) noexcept {
	Header *header = headerOf(unwind);
	header->handlerCount = (header->handlerCount < 0 ? -header->handlerCount : header->handlerCount) + 1;
	if (header != caughtStack) {
		header->nextCaught = caughtStack;
		caughtStack = header;
	}
	return header->adjusted;
}

void __cxa_end_catch() {
	Header *header = caughtStack;
	if (!header) return;
	if (header->handlerCount < 0) {
		// Rethrown: the exception lives on until a handler further out ends.
		if (++header->handlerCount == 0) caughtStack = header->nextCaught;
		return;
	}
	if (--header->handlerCount == 0) {
		caughtStack = header->nextCaught;
		if (header->destructor) header->destructor(objectOf(header));
		free(header);
	}
}

[[noreturn]] void __cxa_rethrow() {
	Header *header = caughtStack;
	if (!header) std::terminate();
	header->handlerCount = -header->handlerCount;
	__builtin_wasm_throw(0, &header->unwind);
}

std::type_info *__cxa_current_exception_type() { return caughtStack ? const_cast<std::type_info *>(caughtStack->type) : nullptr; }

// Called by the host when an exception left main: says what it was, as std::terminate would.
__attribute__((export_name("judge_describe_uncaught"))) void judge_describe_uncaught(void *unwind) {
	if (static_cast<UnwindException *>(unwind)->exceptionClass != OUR_CLASS) return;
	Header *header = headerOf(unwind);
	fprintf(stderr, "terminate called after throwing an exception of type %s\n", header->type->name());
	void *adjusted = objectOf(header);
	if (shim(&typeid(std::exception))->can_catch(shim(header->type), adjusted))
		fprintf(stderr, "  what():  %s\n", static_cast<std::exception *>(adjusted)->what());
}
}
`;
