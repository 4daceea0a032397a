#include "io/TextFiles.h"

#include "strata/Error.h"

#include <fstream>

namespace strata::io {

std::string quoted(const std::filesystem::path& path)
{
    return "'" + path.string() + "'";
}

std::string csvQuoted(const std::string& s)
{
    std::string out = "\"";
    for (char c : s) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

void writeTextFile(const std::filesystem::path& path, const std::string& content)
{
    std::ofstream f(path, std::ios::binary);
    f << content;
    f.flush(); // a full disk shows here (or at close), not while the stream buffers
    f.close();
    if (!f) {
        throw IoError("Cannot write '" + path.string() + "' (is the disk full?).");
    }
}

} // namespace strata::io
