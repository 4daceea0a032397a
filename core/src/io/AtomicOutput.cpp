#include "io/AtomicOutput.h"

#include "strata/Error.h"

#include <atomic>
#include <unistd.h>

namespace strata::io {

namespace {
std::atomic<unsigned> counter{0};
}

AtomicOutput::AtomicOutput(std::filesystem::path target) : target_(std::move(target))
{
    std::filesystem::path dir = target_.parent_path();
    if (dir.empty()) {
        dir = ".";
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        throw IoError("Cannot write '" + target_.string() + "': the folder '" + dir.string() + "' does not exist.");
    }
    stagingDir_ = dir / (".strata-partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    if (!std::filesystem::create_directory(stagingDir_, ec) || ec) {
        throw IoError("Cannot write '" + target_.string() + "': " + (ec ? ec.message() : "cannot create a file there") + ".");
    }
    staging_ = stagingDir_ / target_.filename();
}

AtomicOutput::~AtomicOutput()
{
    std::error_code ec;
    std::filesystem::remove_all(stagingDir_, ec);
}

void AtomicOutput::commit()
{
    std::error_code ec;
    if (!std::filesystem::exists(staging_, ec)) {
        throw IoError("Cannot write '" + target_.string() + "': the writer produced no file.");
    }
    for (const auto& entry : std::filesystem::directory_iterator(stagingDir_)) {
        const auto dest = target_.parent_path() / entry.path().filename();
        std::filesystem::rename(entry.path(), dest, ec);
        if (ec) {
            throw IoError("Cannot write '" + dest.string() + "': " + ec.message() + ".");
        }
    }
    committed_ = true;
}

} // namespace strata::io
