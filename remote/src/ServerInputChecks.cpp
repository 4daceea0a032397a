#include "ServerImpl.h"

#include "strata/core/DataFileReferences.h"

namespace strata::remote {

void Server::Impl::checkInputDataFiles(const std::string& port, const fs::path& local)
{
    try {
        requireDataFilesInside(local, local.parent_path());
    } catch (const InvalidArgument& e) {
        throw HttpError(400, "bad_input", "Input '" + port + "': " + e.what(), {{"input", port}});
    }
}

} // namespace strata::remote
