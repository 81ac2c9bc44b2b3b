#pragma once
// A fresh private directory (mkdtemp) removed with everything in it when the owner goes away,
// or by the emergency stop on Ctrl-C.

#include <string>

namespace workersim {

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
