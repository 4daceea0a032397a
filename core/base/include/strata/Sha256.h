#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace strata {

/// Incremental SHA-256 (FIPS 180-4). Used for input hashes, model checksums and content-addressed uploads.
class Sha256 {
public:
    Sha256();
    void update(std::span<const std::byte> data);
    void update(const std::string& text);
    /// Finishes and returns the lower-case hex digest; the object must not be updated afterwards.
    [[nodiscard]] std::string hexDigest();

    [[nodiscard]] static std::string ofBytes(std::span<const std::byte> data);
    /// Hash of a file, or of every regular file of a directory in name order (path + content). Throws IoError.
    [[nodiscard]] static std::string ofPath(const std::filesystem::path& path);

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> state_{};
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t bufferLen_{0};
    std::uint64_t totalLen_{0};
};

} // namespace strata
