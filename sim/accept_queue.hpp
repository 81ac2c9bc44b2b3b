#pragma once
// The listening socket's accept queue, shared by all workers: FIFO, bounded. Linux counts
// a queue as full only when it holds more than the backlog (sk_acceptq_is_full), so it
// holds backlog + 1 connections.

#include <cassert>
#include <cstdint>
#include <vector>

namespace workersim {

class AcceptQueue {
public:
    explicit AcceptQueue(int backlog) : capacity_(static_cast<std::size_t>(backlog) + 1) {}

    bool full() const { return size_ == capacity_; }
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }

    void push(std::uint32_t connection) {
        assert(!full());
        if (size_ == ring_.size()) grow();
        ring_[(head_ + size_) & (ring_.size() - 1)] = connection;
        ++size_;
    }
    std::uint32_t pop() {
        assert(!empty());
        const std::uint32_t connection = ring_[head_];
        head_ = (head_ + 1) & (ring_.size() - 1);
        --size_;
        return connection;
    }

private:
    // The ring grows by doubling, up to the run's peak; a 2048-deep backlog that never fills
    // costs nothing.
    void grow() {
        std::vector<std::uint32_t> bigger(ring_.empty() ? 16 : ring_.size() * 2);
        for (std::size_t i = 0; i < size_; ++i) bigger[i] = ring_[(head_ + i) & (ring_.size() - 1)];
        ring_.swap(bigger);
        head_ = 0;
    }

    std::size_t capacity_;
    std::vector<std::uint32_t> ring_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

}  // namespace workersim
