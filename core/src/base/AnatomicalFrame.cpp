#include "strata/AnatomicalFrame.h"

#include "strata/Error.h"

#include <cctype>
#include <cmath>

namespace strata {

Vec3 AnatomicalFrame::unitVector(char letter)
{
    switch (std::toupper(static_cast<unsigned char>(letter))) {
    case 'L': return {1, 0, 0};
    case 'R': return {-1, 0, 0};
    case 'P': return {0, 1, 0};
    case 'A': return {0, -1, 0};
    case 'S': return {0, 0, 1};
    case 'I': return {0, 0, -1};
    default: break;
    }
    throw InvalidArgument(std::string("Unknown anatomical direction '") + letter +
                          "': use L, R, P, A, S or I (LPS world coordinates).");
}

AnatomicalFrame AnatomicalFrame::fromLetters(const std::string& letters)
{
    if (letters.size() != 3) {
        throw InvalidArgument("An anatomical frame is three letters (e.g. PIR), not '" + letters.substr(0, 16) + "'.");
    }
    AnatomicalFrame f;
    std::array<bool, 3> used{false, false, false};
    for (std::size_t c = 0; c < 3; ++c) {
        const Vec3 u = unitVector(letters[c]);
        const std::size_t body = u[0] != 0 ? 0 : u[1] != 0 ? 1 : 2;
        if (used[body]) {
            throw InvalidArgument("Anatomical frame '" + letters + "' names one body axis twice.");
        }
        used[body] = true;
        f.axes_[c] = static_cast<char>(std::toupper(static_cast<unsigned char>(letters[c])));
    }
    return f;
}

AnatomicalFrame AnatomicalFrame::nearestTo(const Mat3& direction)
{
    static constexpr char kPositive[3] = {'L', 'P', 'S'};
    static constexpr char kNegative[3] = {'R', 'A', 'I'};
    std::string letters;
    for (std::size_t c = 0; c < 3; ++c) {
        std::size_t best = 0;
        for (std::size_t r = 1; r < 3; ++r) {
            if (std::abs(direction[r * 3 + c]) > std::abs(direction[best * 3 + c])) best = r;
        }
        letters += direction[best * 3 + c] >= 0 ? kPositive[best] : kNegative[best];
    }
    return fromLetters(letters);
}

Mat3 AnatomicalFrame::direction() const
{
    Mat3 m{};
    for (std::size_t c = 0; c < 3; ++c) {
        const Vec3 u = unitVector(axes_[c]);
        for (std::size_t r = 0; r < 3; ++r) m[r * 3 + c] = u[r];
    }
    return m;
}

int AnatomicalFrame::leftRightAxis() const
{
    for (int c = 0; c < 3; ++c) {
        if (axes_[static_cast<std::size_t>(c)] == 'L' || axes_[static_cast<std::size_t>(c)] == 'R') return c;
    }
    return 0; // unreachable for a valid frame
}

} // namespace strata
