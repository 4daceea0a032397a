#pragma once

#include "strata/core/ModelLocator.h"

namespace strata::knee {

using strata::modelDirFromParameter;

} // namespace strata::knee
