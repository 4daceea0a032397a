#pragma once

#include "strata/ModelLocator.h"

namespace strata::knee {

using strata::modelDirFromParameter;

} // namespace strata::knee
