#pragma once
// One core's runnable jobs (sim/run_queues.hpp), in the order they will finish: by the core's
// served_s at which each is done, the older first among equals. A sorted array, the
// latest-finishing first, so the next to finish is the last entry and leaves by pop_back().
//
// Kept sorted rather than as a binary heap: load balancing keeps every core within one job of
// the others, so a core holds runnable / cores jobs, about 8 in the calibrated 2-core,
// 16-worker case and 4 at 64 cores / 256 workers. There an insertion's shift of a few entries
// costs less than a heap's sifts, which also wrote each moved job's position back into a
// table indexed by job; and the newest job (the one load balancing moves) is found by a scan
// of the same few entries, where a linked list by arrival was kept up to date on every
// arrival and departure. An insertion or removal costs O(jobs on the core) moves of 24 bytes.

#include <cassert>
#include <cstdint>
#include <vector>

namespace workersim {

class CoreQueue {
public:
    struct Entry {
        double finish_s;        // the core's served_s when the job is done
        std::uint64_t arrival;  // order of arrival on any core: ties go to the older
        std::uint32_t job;
    };

    bool empty() const { return entries_.empty(); }
    std::size_t size() const { return entries_.size(); }

    // The job that finishes first.
    const Entry& first() const {
        assert(!empty());
        return entries_.back();
    }
    void pop_first() {
        assert(!empty());
        entries_.pop_back();
    }

    // `arrival` is later than that of every job here.
    void push(double finish_s, std::uint64_t arrival, std::uint32_t job);
    // Removes `job`'s entry (it must be here) and returns it.
    Entry take(std::uint32_t job);
    // Removes the entry of the job that arrived last and returns it.
    Entry take_newest();

private:
    // Pointers, not indices, in the loops over the entries: an index into 24-byte entries
    // cost a multiply per access and size() a division per test (callgrind).
    Entry take_at(Entry* at);

    std::vector<Entry> entries_;  // latest-finishing first
};

}  // namespace workersim
