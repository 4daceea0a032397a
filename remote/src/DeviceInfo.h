#pragma once

#include <nlohmann/json.hpp>

namespace strata::remote {

/// {"gpus": [{"index", "name", "memory_mib"}], "cpu": {"model", "cores"}, "summary": "..."} (nvidia-smi when present).
nlohmann::json describeDevices();

} // namespace strata::remote
