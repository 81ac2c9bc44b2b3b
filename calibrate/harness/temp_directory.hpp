#pragma once
// A fresh private directory (mkdtemp) removed with everything in it when the owner goes away,
// or by the emergency stop on Ctrl-C; one a SIGKILLed run left behind is removed by the next
// (remove_abandoned_temp_directories).

#include <string>

namespace workersim {

// Removes root's workersim-* directories whose owning process is gone (a SIGKILLed run's:
// a PostgreSQL data directory alone is ~40 MB); returns how many. `root` empty: as below.
int remove_abandoned_temp_directories(const std::string& root = "");

class TempDirectory {
public:
    // `root` empty: $TMPDIR or /tmp. The name is root/prefix-XXXXXX.
    TempDirectory(const std::string& prefix, const std::string& root = "");
    ~TempDirectory();
    TempDirectory(const TempDirectory&) = delete;
    TempDirectory& operator=(const TempDirectory&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

}  // namespace workersim
