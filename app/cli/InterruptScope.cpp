#include "cli/InterruptScope.h"

#include "strata/Error.h"
#include "strata/inference/SegmentationModel.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>

namespace strata::cli {

namespace {

std::stop_source* gInterrupt = nullptr;

extern "C" void onInterrupt(int)
{
    if (gInterrupt) {
        gInterrupt->request_stop();
    }
}

} // namespace

InterruptScope::InterruptScope()
{
    gInterrupt = &stop_;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

InterruptScope::~InterruptScope()
{
    gInterrupt = nullptr;
}

void InterruptScope::exitInterrupted(const std::string& message)
{
    if (!inference::SegmentationModel::waitForAbandonedPasses(std::chrono::milliseconds(200))) {
        std::cerr << "strata-cli: error: Interrupted: " << message << std::endl;
        std::_Exit(1);
    }
    throw Error("Interrupted: " + message);
}

} // namespace strata::cli
