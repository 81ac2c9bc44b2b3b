#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "calibrate/harness/temp_directory.hpp"

using namespace workersim;
namespace fs = std::filesystem;

namespace {

// A private root (not itself named workersim-*, so a real run sweeping /tmp leaves it alone),
// removed with everything in it at the end of the test.
class PrivateRoot {
public:
    PrivateRoot() {
        std::string pattern = (fs::temp_directory_path() / "temp-directory-test-XXXXXX").string();
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (!mkdtemp(buffer.data())) throw std::runtime_error("mkdtemp " + pattern);
        path_ = buffer.data();
    }
    ~PrivateRoot() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    PrivateRoot(const PrivateRoot&) = delete;
    PrivateRoot& operator=(const PrivateRoot&) = delete;

    const fs::path& path() const { return path_; }

    // A directory under the root, with an owner file holding `owner` unless it is empty, and
    // a file inside as a run would leave one.
    fs::path make_directory(const std::string& name, const std::string& owner) const {
        const fs::path dir = path_ / name;
        fs::create_directories(dir / "data");
        std::ofstream(dir / "data" / "postmaster.pid") << "12345\n";
        if (!owner.empty()) std::ofstream(dir / ".workersim-owner") << owner << "\n";
        return dir;
    }

private:
    fs::path path_;
};

// A pid above Linux's pid_max (at most 2^22): no process has it.
constexpr const char* kDeadOwner = "999999999 1";

}  // namespace

TEST_CASE("a temp directory whose owner is still alive is not removed", "[temp_directory]") {
    const PrivateRoot root;
    const TempDirectory alive("workersim-alive", root.path().string());
    REQUIRE(fs::exists(fs::path(alive.path()) / ".workersim-owner"));
    CHECK(remove_abandoned_temp_directories(root.path().string()) == 0);
    CHECK(fs::is_directory(alive.path()));
}

TEST_CASE("a workersim directory whose owner pid no longer exists is removed and counted", "[temp_directory]") {
    const PrivateRoot root;
    const fs::path abandoned = root.make_directory("workersim-x-abc", kDeadOwner);
    CHECK(remove_abandoned_temp_directories(root.path().string()) == 1);
    CHECK_FALSE(fs::exists(abandoned));
    CHECK(remove_abandoned_temp_directories(root.path().string()) == 0);  // nothing left to remove
}

TEST_CASE("a workersim directory whose pid was reused by a later process is removed", "[temp_directory]") {
    // Our own pid, but not our start time: the run that wrote it is gone and its pid reused.
    const PrivateRoot root;
    const fs::path abandoned = root.make_directory("workersim-reused-abc", std::to_string(getpid()) + " 1");
    CHECK(remove_abandoned_temp_directories(root.path().string()) == 1);
    CHECK_FALSE(fs::exists(abandoned));
}

TEST_CASE("a workersim directory without an owner file is left alone", "[temp_directory]") {
    const PrivateRoot root;
    const fs::path unowned = root.make_directory("workersim-noowner-abc", "");
    CHECK(remove_abandoned_temp_directories(root.path().string()) == 0);
    CHECK(fs::is_directory(unowned));
}

TEST_CASE("a directory not named workersim-* is left alone even with a dead owner", "[temp_directory]") {
    const PrivateRoot root;
    const fs::path other = root.make_directory("other-abc", kDeadOwner);
    CHECK(remove_abandoned_temp_directories(root.path().string()) == 0);
    CHECK(fs::is_directory(other));
}

TEST_CASE("only the abandoned directories of a mixed root are removed", "[temp_directory]") {
    const PrivateRoot root;
    const TempDirectory alive("workersim-alive", root.path().string());
    const fs::path abandoned = root.make_directory("workersim-x-abc", kDeadOwner);
    const fs::path unowned = root.make_directory("workersim-noowner-abc", "");
    const fs::path other = root.make_directory("other-abc", kDeadOwner);
    CHECK(remove_abandoned_temp_directories(root.path().string()) == 1);
    CHECK(fs::is_directory(alive.path()));
    CHECK_FALSE(fs::exists(abandoned));
    CHECK(fs::is_directory(unowned));
    CHECK(fs::is_directory(other));
}
