#include "calibrate/harness/measurement_priority.hpp"

#include <sys/resource.h>

#include <fstream>

namespace workersim {

void raise_priority(std::ostream& log) {
    bool raised = ::setpriority(PRIO_PROCESS, 0, -10) == 0;
    if (std::ofstream autogroup{"/proc/self/autogroup"}) {
        autogroup << "-10";
        raised = raised && static_cast<bool>(autogroup.flush());
    }
    if (!raised)
        log << "workersim: note: could not raise the measurement's priority; other load on this host will slow "
               "the server down\n";
}

}  // namespace workersim
