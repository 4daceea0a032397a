// Hand correction of a segmentation (issue 20): brush and eraser in mm with paint-over rules and an intensity range,
// strokes without gaps, 2D flood fill, keep-largest / remove-islands, and undo/redo by deltas within a budget.
#include "strata/Error.h"
#include "strata/edit/LabelEditHistory.h"
#include "strata/edit/LabelOperations.h"
#include "strata/edit/LabelStroke.h"
#include "strata/edit/SliceInterpolation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace strata;
using namespace strata::edit;

namespace {

LabelMap emptyLabels(Size3 size, Vec3 spacing)
{
    Image img(size, PixelType::UInt8);
    img.setSpacing(spacing);
    return LabelMap(std::move(img), LabelTable());
}

std::size_t count(const LabelMap& l, int id)
{
    const auto c = l.voxelCounts();
    return c.contains(id) ? c.at(id) : 0;
}

} // namespace

TEST(LabelEdit, DiscIsRoundInMillimetresAndStaysInItsSliceUndoRedoExactly)
{
    LabelMap labels = emptyLabels({64, 64, 20}, {0.5, 0.5, 2.0});
    const auto before = std::vector<std::uint8_t>(labels.ids().begin(), labels.ids().end());
    LabelStroke stroke(labels, nullptr, 4, {});
    stroke.stamp({32, 32, 10}, {.radiusMm = 4.0, .sphere = false, .axis = 2});
    LabelDelta d = stroke.finish();
    // pi r^2 / (0.5 x 0.5) voxels, all in slice 10.
    const double expected = std::numbers::pi * 16.0 / 0.25;
    EXPECT_NEAR(static_cast<double>(d.size()), expected, 0.05 * expected);
    for (const auto i : d.indices) EXPECT_EQ(i / (64 * 64), 10u);
    EXPECT_EQ(d.changePerLabel().at(4), static_cast<std::int64_t>(d.size()));
    EXPECT_EQ(d.changePerLabel().at(0), -static_cast<std::int64_t>(d.size()));
    d.undo(labels);
    EXPECT_TRUE(std::equal(before.begin(), before.end(), labels.ids().begin()));
    d.redo(labels);
    EXPECT_EQ(count(labels, 4), d.size());
}

TEST(LabelEdit, BallVolumeAndDragLeavesNoGaps)
{
    LabelMap labels = emptyLabels({60, 60, 30}, {0.5, 0.5, 1.0});
    LabelStroke ball(labels, nullptr, 2, {});
    ball.stamp({30, 30, 15}, {.radiusMm = 5.0, .sphere = true});
    const double volume = 4.0 / 3.0 * std::numbers::pi * 125.0 / (0.5 * 0.5 * 1.0);
    EXPECT_NEAR(static_cast<double>(ball.changed()), volume, 0.05 * volume);

    LabelMap flat = emptyLabels({100, 40, 3}, {0.4, 0.4, 1.0});
    LabelStroke drag(flat, nullptr, 1, {});
    drag.stamp({5, 20, 1}, {.radiusMm = 1.0, .axis = 2});
    drag.line({5, 20, 1}, {95, 20, 1}, {.radiusMm = 1.0, .axis = 2}); // 36 mm in one mouse move
    const auto ids = flat.ids();
    for (std::size_t x = 5; x <= 95; ++x) EXPECT_EQ(ids[x + 100 * (20 + 40 * 1)], 1) << x;
    EXPECT_EQ(count(flat, 1), drag.changed());
}

TEST(LabelEdit, PaintOverRulesAndIntensityRange)
{
    LabelMap labels = emptyLabels({20, 20, 1}, {1, 1, 1});
    auto ids = labels.ids();
    for (std::size_t i = 0; i < 20 * 10; ++i) ids[i] = 3; // the lower half is label 3
    Image intensity({20, 20, 1}, PixelType::Float32);
    auto v = intensity.pixels<float>();
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 20); // intensity = x

    PaintRule background;
    background.over = PaintRule::Over::Background;
    LabelStroke a(labels, nullptr, 5, background);
    a.stamp({10, 10, 0}, {.radiusMm = 20, .axis = 2}); // covers everything
    EXPECT_EQ(a.finish().size(), 200u); // the background half only
    EXPECT_EQ(count(labels, 3), 200u);
    EXPECT_EQ(count(labels, 5), 200u);

    PaintRule eraseThree; // eraser limited to label 3 and intensities 5..9
    eraseThree.over = PaintRule::Over::Label;
    eraseThree.overLabel = 3;
    eraseThree.minIntensity = 5;
    eraseThree.maxIntensity = 9;
    LabelStroke e(labels, &intensity, 0, eraseThree);
    e.stamp({10, 10, 0}, {.radiusMm = 20, .axis = 2});
    EXPECT_EQ(e.changed(), 50u); // x = 5..9 in the 10 rows of label 3
    EXPECT_EQ(count(labels, 5), 200u);
    EXPECT_THROW(LabelStroke(labels, nullptr, 0, eraseThree), InvalidArgument); // a range needs the image
}

TEST(LabelEdit, FloodFillStaysInsideTheRingAndTheSlice)
{
    LabelMap labels = emptyLabels({30, 30, 3}, {1, 1, 1});
    auto ids = labels.ids();
    for (std::size_t z = 0; z < 3; ++z)
        for (std::size_t y = 5; y <= 20; ++y)
            for (std::size_t x = 5; x <= 20; ++x)
                if (x == 5 || x == 20 || y == 5 || y == 20) ids[x + 30 * (y + 30 * z)] = 1;
    const LabelDelta d = floodFill2D(labels, nullptr, {10, 10, 1}, 2, 7);
    EXPECT_EQ(d.size(), 14u * 14u); // the inside of the ring in slice 1 only
    EXPECT_EQ(count(labels, 7), 14u * 14u);
    EXPECT_TRUE(std::is_sorted(d.indices.begin(), d.indices.end()));
    for (const auto i : d.indices) EXPECT_EQ(i / 900, 1u);
    // Across axis 0 (a sagittal slice x = 2, outside the ring): the whole 30 x 3 slice.
    EXPECT_EQ(floodFill2D(labels, nullptr, {2, 0, 0}, 0, 9).size(), 90u);
    EXPECT_TRUE(floodFill2D(labels, nullptr, {10, 10, 1}, 2, 7).empty()); // already that value
    EXPECT_THROW(floodFill2D(labels, nullptr, {30, 0, 0}, 2, 7), InvalidArgument);
}

TEST(LabelEdit, KeepLargestAndRemoveIslands)
{
    LabelMap labels = emptyLabels({20, 20, 20}, {1, 1, 1});
    auto ids = labels.ids();
    const auto set = [&](std::size_t x0, std::size_t n) {
        for (std::size_t z = x0; z < x0 + n; ++z)
            for (std::size_t y = x0; y < x0 + n; ++y)
                for (std::size_t x = x0; x < x0 + n; ++x) ids[x + 20 * (y + 20 * z)] = 2;
    };
    set(1, 3);  // 27 voxels
    set(10, 2); // 8 voxels
    set(15, 1); // 1 voxel
    LabelMap copy = labels;
    const LabelDelta islands = removeIslands(labels, 2, 5);
    EXPECT_EQ(islands.size(), 1u);
    EXPECT_EQ(count(labels, 2), 35u);
    const LabelDelta largest = keepLargestComponent(labels, 2);
    EXPECT_EQ(largest.size(), 8u);
    EXPECT_EQ(count(labels, 2), 27u);
    largest.undo(labels);
    islands.undo(labels);
    EXPECT_TRUE(std::equal(copy.ids().begin(), copy.ids().end(), labels.ids().begin()));
}

TEST(LabelEdit, HistoryUndoRedoBudgetAndWhatChanged)
{
    LabelMap labels = emptyLabels({40, 40, 10}, {1, 1, 1});
    LabelEditHistory history(200); // bytes: room for about two strokes of 13 voxels (5 bytes each)
    for (int k = 0; k < 6; ++k) {
        LabelStroke s(labels, nullptr, 1, {});
        s.stamp({5.0 + 5 * k, 20, 5}, {.radiusMm = 2.0, .axis = 2}); // 13 voxels each
        history.push(s.finish());
    }
    EXPECT_TRUE(history.dirty());
    EXPECT_EQ(history.edits(), 6);
    EXPECT_EQ(history.changePerLabel().at(1), static_cast<std::int64_t>(count(labels, 1)));
    EXPECT_LE(history.bytes(), history.budget());
    EXPECT_GT(history.forgotten(), 0u); // the oldest steps went; the edits stay applied
    EXPECT_GE(history.undoSteps(), 1u);
    EXPECT_EQ(history.undoSteps() + history.forgotten(), 6u);
    const std::size_t painted = count(labels, 1);
    ASSERT_TRUE(history.undo(labels));
    EXPECT_LT(count(labels, 1), painted);
    EXPECT_TRUE(history.canRedo());
    ASSERT_TRUE(history.redo(labels));
    EXPECT_EQ(count(labels, 1), painted);
    history.markSaved();
    EXPECT_FALSE(history.dirty());
    history.undo(labels); // back before the save: dirty again
    EXPECT_TRUE(history.dirty());
    EXPECT_LT(history.changePerLabel().at(1), 0);
    LabelStroke s(labels, nullptr, 2, {});
    s.stamp({20, 20, 5}, {.radiusMm = 1.0, .axis = 2});
    history.push(s.finish());
    EXPECT_FALSE(history.canRedo()); // a new edit ends redo
    while (history.undo(labels)) {
    }
    EXPECT_EQ(count(labels, 2), 0u);
}

TEST(LabelEdit, ShapeBasedInterpolationBetweenSlices)
{
    // Discs drawn on slices 0 (radius 10 mm) and 10 (radius 20 mm, moved 10 mm along x) of a 0.5 mm grid; the gap
    // gets shapes of the blended size and centre; slices outside the pair and other labels are left alone.
    LabelMap labels = emptyLabels({120, 120, 14}, {0.5, 0.5, 1.0});
    auto ids = labels.ids();
    const auto disc = [&](std::size_t z, double cx, double r) {
        for (std::size_t y = 0; y < 120; ++y)
            for (std::size_t x = 0; x < 120; ++x)
                if (std::hypot((static_cast<double>(x) - cx) * 0.5, (static_cast<double>(y) - 60.0) * 0.5) <= r)
                    ids[x + 120 * (y + 120 * z)] = 3;
    };
    disc(0, 50, 10);
    disc(10, 70, 20);
    ids[60 + 120 * (60 + 120 * 5)] = 7; // another label in the gap stays
    const LabelDelta d = interpolateBetweenSlices(labels, 3, 2);
    ASSERT_FALSE(d.empty());
    const auto sliceStats = [&](std::size_t z) {
        double n = 0, sx = 0;
        for (std::size_t y = 0; y < 120; ++y)
            for (std::size_t x = 0; x < 120; ++x)
                if (ids[x + 120 * (y + 120 * z)] == 3) {
                    n += 1;
                    sx += static_cast<double>(x);
                }
        return std::pair{n, n > 0 ? sx / n : 0.0};
    };
    const auto [area5, cx5] = sliceStats(5);
    // Half way the blended distances give 15 - (|p - c0| + |p - c1|) / 2 > 0: an ellipse with the two centres
    // (10 mm apart) as foci and major semi-axis 15 mm, so minor semi-axis sqrt(15^2 - 5^2) mm.
    const double expected = std::numbers::pi * 15.0 * std::sqrt(15.0 * 15.0 - 25.0) / 0.25;
    EXPECT_NEAR(area5, expected, 0.02 * expected);
    EXPECT_NEAR(cx5, 60.0, 1.0); // centre half way
    EXPECT_EQ(ids[60 + 120 * (60 + 120 * 5)], 7);
    EXPECT_EQ(sliceStats(12).first, 0.0); // beyond the last drawn slice: nothing
    for (std::size_t z = 1; z < 10; ++z) EXPECT_GT(sliceStats(z).first, 0.0) << z;
    d.undo(labels);
    EXPECT_EQ(sliceStats(5).first, 0.0);
    EXPECT_THROW(interpolateBetweenSlices(labels, 3, 3), InvalidArgument);
}

TEST(LabelEdit, BrushPaintsExactlyTheVoxelsWithinItsRadiusInMillimetres)
{
    // Anisotropic voxels (0.5 x 0.5 x 2 mm): the disc is every voxel of the slice within r of the centre in mm, the
    // ball every voxel of the volume; nothing else.
    const Vec3 h{0.5, 0.5, 2.0};
    const Vec3 c{20.3, 17.0, 6.0};
    for (const bool sphere : {false, true}) {
        LabelMap labels = emptyLabels({40, 40, 12}, h);
        LabelStroke s(labels, nullptr, 9, {});
        s.stamp(c, {.radiusMm = 4.0, .sphere = sphere, .axis = 2});
        const auto ids = labels.ids();
        std::size_t n = 0;
        for (std::size_t z = 0; z < 12; ++z)
            for (std::size_t y = 0; y < 40; ++y)
                for (std::size_t x = 0; x < 40; ++x) {
                    const double dx = (static_cast<double>(x) - c[0]) * h[0], dy = (static_cast<double>(y) - c[1]) * h[1],
                                 dz = (static_cast<double>(z) - c[2]) * h[2];
                    const bool expected = sphere ? dx * dx + dy * dy + dz * dz <= 16.0 : (z == 6 && dx * dx + dy * dy <= 16.0);
                    EXPECT_EQ(ids[x + 40 * (y + 40 * z)] == 9, expected) << x << ' ' << y << ' ' << z << " sphere " << sphere;
                    n += expected;
                }
        EXPECT_EQ(s.changed(), n);
    }
}

TEST(LabelEdit, FiftyMixedEditsUndoBitExactlyAndRedo)
{
    LabelMap labels = emptyLabels({48, 40, 16}, {0.6, 0.6, 1.5});
    auto ids = labels.ids();
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::uint8_t>((i / 7) % 3); // a pattern to edit
    const std::vector<std::uint8_t> original(ids.begin(), ids.end());
    Image intensity(labels.image().size(), PixelType::Float32);
    auto v = intensity.pixels<float>();
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 100);
    LabelEditHistory history;
    std::uint32_t x = 12345;
    const auto next = [&](std::uint32_t m) {
        x = x * 1664525u + 1013904223u;
        return (x >> 8) % m;
    };
    for (int e = 0; e < 50; ++e) {
        const Vec3 c{static_cast<double>(next(48)), static_cast<double>(next(40)), static_cast<double>(next(16))};
        PaintRule rule;
        if (e % 5 == 1) rule.over = PaintRule::Over::Background;
        if (e % 5 == 2) rule.minIntensity = 20, rule.maxIntensity = 60;
        switch (e % 4) {
        case 0:
        case 1: {
            LabelStroke s(labels, &intensity, static_cast<std::uint8_t>(1 + next(5)), rule);
            s.stamp(c, {.radiusMm = 1.0 + next(4), .sphere = e % 3 == 0, .axis = static_cast<int>(next(3))});
            s.line(c, {c[0] + 5, c[1] - 3, c[2]}, {.radiusMm = 1.5, .axis = 2});
            history.push(s.finish());
            break;
        }
        case 2: history.push(floodFill2D(labels, &intensity, {static_cast<long>(c[0]), static_cast<long>(c[1]), static_cast<long>(c[2])},
                                         static_cast<int>(next(3)), static_cast<std::uint8_t>(next(6)), rule));
            break;
        default: history.push(e % 8 == 3 ? keepLargestComponent(labels, 1 + static_cast<int>(next(5))) : removeIslands(labels, 2, 30));
        }
    }
    const std::vector<std::uint8_t> edited(ids.begin(), ids.end());
    ASSERT_NE(edited, original);
    while (history.undo(labels)) {
    }
    EXPECT_TRUE(std::equal(original.begin(), original.end(), ids.begin()));
    EXPECT_FALSE(history.dirty());
    while (history.redo(labels)) {
    }
    EXPECT_TRUE(std::equal(edited.begin(), edited.end(), ids.begin()));
}
