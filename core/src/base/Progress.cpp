#include "strata/Progress.h"

#include "strata/Error.h"

namespace strata {

void throwIfStopped(const std::stop_token& stop)
{
    if (stop.stop_requested()) {
        throw Cancelled();
    }
}

} // namespace strata
