#pragma once

#include "strata/Image.h"

#include <array>
#include <string>

namespace strata {

/// The patient directions an image's three index axes point to, one letter each: L, R, P, A, S or I
/// (world coordinates are LPS: L = +x, P = +y, S = +z). "PIR" means i runs posterior, j inferior, k to the right:
/// the frame of Strata's knee phantoms (sagittal slices along k), in which the knee model was trained.
class AnatomicalFrame {
public:
    AnatomicalFrame() = default; ///< P, I, R
    /// From three letters, e.g. "PIR" (case-insensitive); each body axis exactly once. Throws InvalidArgument.
    [[nodiscard]] static AnatomicalFrame fromLetters(const std::string& letters);
    /// The nearest frame of a direction matrix (each column to its closest body axis). Throws InvalidArgument when
    /// two columns share a body axis (not orthonormal).
    [[nodiscard]] static AnatomicalFrame nearestTo(const Mat3& direction);

    [[nodiscard]] const std::array<char, 3>& axes() const { return axes_; }
    [[nodiscard]] std::string letters() const { return {axes_[0], axes_[1], axes_[2]}; }
    /// The LPS direction matrix (row-major, column c = unit vector of axis c), entries 0 and +-1.
    [[nodiscard]] Mat3 direction() const;
    /// Index of the axis along left-right (letter L or R).
    [[nodiscard]] int leftRightAxis() const;
    bool operator==(const AnatomicalFrame&) const = default;

    /// The unit LPS vector of a letter. Throws InvalidArgument for anything but L, R, P, A, S, I.
    [[nodiscard]] static Vec3 unitVector(char letter);

private:
    std::array<char, 3> axes_{'P', 'I', 'R'};
};

} // namespace strata
