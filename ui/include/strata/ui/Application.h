#pragma once

namespace strata::ui {

/// The `strata` GUI program: command line, surface format, main window, screenshot mode.
///   strata [FILE...]
///   strata --screenshot out.png [--layout 2x2|axial|coronal|sagittal|3d] [--size WxH] FILE...
class Application {
public:
    static int run(int argc, char** argv);
};

} // namespace strata::ui
