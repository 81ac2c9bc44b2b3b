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
    for (int w = 0; 64 * w < cores; ++w) {  // every queue empty: even
        words_[0][w] = core_bits(cores, w);
        has_[0] |= std::uint64_t{1} << w;
    }
}

void LoadBalance::flip(int core) {
    const int w = core >> 6;
    const std::uint64_t bit = std::uint64_t{1} << (core & 63);
    words_[0][w] ^= bit;
    words_[1][w] ^= bit;
    if (cores_ <= 64) return;  // one word: the summaries are not read (a predicted branch)
    const std::uint64_t word_bit = std::uint64_t{1} << w;
    has_[0] = (has_[0] & ~word_bit) | (static_cast<std::uint64_t>(words_[0][w] != 0) << w);
    has_[1] = (has_[1] & ~word_bit) | (static_cast<std::uint64_t>(words_[1][w] != 0) << w);
}

int LoadBalance::lowest_with_parity(int odd) const {
    const int w = cores_ <= 64 ? 0 : __builtin_ctzll(has_[odd]);
    assert(words_[odd][w] != 0);
    return 64 * w + __builtin_ctzll(words_[odd][w]);
}

int LoadBalance::highest_with_parity(int odd) const {
    const int w = cores_ <= 64 ? 0 : 63 - __builtin_clzll(has_[odd]);
    assert(words_[odd][w] != 0);
    return 64 * w + 63 - __builtin_clzll(words_[odd][w]);
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
    if (parity(core) != (fewest_ & 1)) {  // it held m + 1
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
