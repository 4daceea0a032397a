#include "ocr/OpenMpSerial.h"

#include <dlfcn.h>

namespace strata::ocr {

void makeOpenMpSerialOnThisThread()
{
    // Looked up at run time so that Strata does not link libgomp itself (Tesseract brings it).
    using SetLevels = void (*)(int);
    static const auto setMaxActiveLevels =
        reinterpret_cast<SetLevels>(::dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
    if (setMaxActiveLevels) {
        setMaxActiveLevels(0); // no active parallel region: every "omp parallel" runs on one thread
    }
}

} // namespace strata::ocr
