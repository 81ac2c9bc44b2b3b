#pragma once
// A calibration's progress on stderr for a person watching it: one line redrawn in place
// (a bar, runs done, elapsed, time left, the next run), printed only to a terminal.

#include <string>

#include "calibrate/session/calibration_session.hpp"

namespace workersim::cli {

// 83 s -> "1m23s".
std::string clock_text(double seconds);

// Redraws the bar; ends the line when nothing is left to run.
void draw_progress(const SessionProgress& p);

// Clears the bar's line so that a log line can take it (the next draw_progress redraws it).
void clear_progress_line();

}  // namespace workersim::cli
