#include "strata/core/Progress.h"

#include "strata/core/Error.h"

namespace strata {

void throwIfStopped(const std::stop_token& stop)
{
    if (stop.stop_requested()) {
        throw Cancelled();
    }
}

} // namespace strata
