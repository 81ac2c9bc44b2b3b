#pragma once
// Appending to a std::vector from the event loop without its reallocation in the loop's code.
// step() is [[gnu::flatten]] (sim/simulator.cpp): every push_back inlined there brought its
// whole reallocation path along (libstdc++'s _M_realloc_insert), and those copies made up
// much of step()'s code. A vector grows only until the run's peak, so the growth is a call.

#include <vector>

namespace workersim {

template <class T>
[[gnu::noinline]] void push_back_growing(std::vector<T>& v, const T& x) {
    v.push_back(x);
}

// v.push_back(x), with the reallocation out of line. When size() != capacity() the compiler
// knows push_back will not reallocate, and drops that path here.
template <class T>
inline void push_back_in_place(std::vector<T>& v, const T& x) {
    if (__builtin_expect(v.size() == v.capacity(), 0)) {
        push_back_growing(v, x);
        return;
    }
    v.push_back(x);
}

template <class T>
[[gnu::noinline]] void emplace_back_growing(std::vector<T>& v) {
    v.emplace_back();
}

// v.emplace_back() (a value-initialised element, to be filled in place), the same way.
template <class T>
inline void emplace_back_in_place(std::vector<T>& v) {
    if (__builtin_expect(v.size() == v.capacity(), 0)) {
        emplace_back_growing(v);
        return;
    }
    v.emplace_back();
}

}  // namespace workersim
