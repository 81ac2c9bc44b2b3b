#include "analysis/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <thread>
#include <vector>

namespace workersim {

int hardware_threads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

void parallel_for(std::size_t count, int threads, const IndexBody& body, const ProgressReport& progress) {
    std::vector<std::exception_ptr> errors(count);
    std::atomic<std::size_t> next{0}, done{0};
    auto work = [&] {
        for (std::size_t i = next++; i < count; i = next++, ++done) {
            try {
                body(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, threads)), count);
    std::vector<std::thread> pool;
    for (std::size_t t = progress ? 0 : 1; t < workers; ++t) pool.emplace_back(work);
    if (progress) {
        while (done < count) {
            progress(done);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    } else if (count > 0) {
        work();
    }
    for (std::thread& t : pool) t.join();
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace workersim
