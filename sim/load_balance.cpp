#include "sim/load_balance.hpp"

#include <algorithm>
#include <cassert>

namespace workersim {

namespace {

// The bits of word `w` that stand for cores (the last word may be partly past them).
std::uint64_t core_bits(int cores, int w) {
    const int bits = std::min(64, cores - 64 * w);
    return bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
}

}  // namespace

LoadBalance::LoadBalance(int cores) : cores_(cores) {
    assert(cores >= 1 && cores <= kMaxCores);
    for (int w = 0; 64 * w < cores; ++w) has_even_ |= std::uint64_t{1} << w;  // every queue empty
}

void LoadBalance::flip(int core) {
    const int w = core >> 6;
    words_[w] ^= std::uint64_t{1} << (core & 63);
    const std::uint64_t bit = std::uint64_t{1} << w;
    has_odd_ = words_[w] != 0 ? has_odd_ | bit : has_odd_ & ~bit;
    has_even_ = (~words_[w] & core_bits(cores_, w)) != 0 ? has_even_ | bit : has_even_ & ~bit;
}

int LoadBalance::lowest_with_parity(bool odd) const {
    const std::uint64_t summary = odd ? has_odd_ : has_even_;
    assert(summary != 0);
    const int w = __builtin_ctzll(summary);
    const std::uint64_t word = odd ? words_[w] : ~words_[w] & core_bits(cores_, w);
    return 64 * w + __builtin_ctzll(word);
}

int LoadBalance::highest_with_parity(bool odd) const {
    const std::uint64_t summary = odd ? has_odd_ : has_even_;
    assert(summary != 0);
    const int w = 63 - __builtin_clzll(summary);
    const std::uint64_t word = odd ? words_[w] : ~words_[w] & core_bits(cores_, w);
    return 64 * w + 63 - __builtin_clzll(word);
}

int LoadBalance::place() {
    const int core = lowest_with_parity(fewest_ & 1);  // the lowest of those holding m
    flip(core);
    if (++fuller_ == cores_) {
        ++fewest_;
        fuller_ = 0;
    }
    return core;
}

int LoadBalance::leave(int core) {
    assert(jobs_on(core) > 0);
    if (jobs_on(core) == fewest_ + 1) {
        flip(core);
        --fuller_;
        return -1;
    }
    if (fuller_ > 0) {
        // `core` fell to m - 1 with others at m + 1: the highest of those gives it one back.
        const int from = highest_with_parity((fewest_ + 1) & 1);
        flip(from);
        --fuller_;
        return from;
    }
    // All held m: `core` is the one at m - 1 now, every other is one above.
    flip(core);
    --fewest_;
    fuller_ = cores_ - 1;
    return -1;
}

}  // namespace workersim
