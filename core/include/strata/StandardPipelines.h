#pragma once

#include "strata/pipeline/PipelineRegistry.h"

namespace strata {

/// Every pipeline Strata ships (knee MRI, ...), for the GUI, the CLI and the server.
[[nodiscard]] const pipeline::PipelineRegistry& standardPipelines();

} // namespace strata
