#pragma once
// Where Linux's load balancing puts runnable jobs among the per-core run queues
// (sim/run_queues.hpp): a new job goes to the emptiest core, the lowest-numbered among equals
// (so runs are reproducible); when the queues come to differ by two (a job left a core that
// was already among the emptiest), the newest job of the fullest core, the highest-numbered
// among equals, moves to the one that fell behind.
//
// Balanced this way, the queues never differ by more than one job: every core holds m or
// m + 1. So a core's length is m plus one bit, and the bit is the parity of its length
// (len & 1 == m & 1 means len == m): one bitset answers "the lowest core with m jobs" and
// "the highest core with m + 1" by a find-first-set over at most 64 words, found at once
// from a summary word of which words have a core of each parity. When the last core reaches
// m + 1, m grows by one and no bit needs clearing: the parities already say "all at m".
// O(1) per job placed or gone, whatever the cores; the scan it replaces was O(cores).

#include <cstdint>

namespace workersim {

class LoadBalance {
public:
    static constexpr int kMaxCores = 64 * 64;  // two levels of 64-bit words; kCoresRange's top

    explicit LoadBalance(int cores);

    // Counts a new job on the emptiest core and returns that core.
    int place();
    // Counts a job gone from `core`. Returns the core one job must move from to `core` to
    // keep the queues within one of each other, or -1 if none needs to: the move is already
    // counted (only the source's length changes: `core` gets back the one it lost).
    int leave(int core);

    int jobs_on(int core) const { return fewest_ + (parity(core) != (fewest_ & 1) ? 1 : 0); }
    int cores() const { return cores_; }

private:
    bool parity(int core) const { return (words_[1][core >> 6] >> (core & 63)) & 1; }
    void flip(int core);
    int lowest_with_parity(int odd) const;
    int highest_with_parity(int odd) const;

    int cores_;
    int fewest_ = 0;  // m: every core holds m or m + 1 jobs
    int fuller_ = 0;  // how many hold m + 1 (< cores_)
    // The bitset twice, indexed by parity, so a look-up for either parity is two loads and a
    // bit scan with no complement or mask of the cores past the end (those bits are clear in
    // both): words_[p] has core c's bit set when c's length & 1 == p.
    std::uint64_t words_[2][kMaxCores / 64] = {};
    std::uint64_t has_[2] = {};  // bit w of has_[p]: words_[p][w] is not zero (kept past 64 cores only)
};

}  // namespace workersim
