// Analysis > Compare timepoints (issue 19): two knee results of one phantom knee in two positions, the follow-up's
// medial tibial plate thinned by one layer. The window shows the baseline with the change map (diverging), the
// follow-up beside it, cursors linked through each bone's alignment, the change tables; its report has the change
// section; two different knees are flagged. Plain widgets, offscreen.
#include "../unit/LabelThinning.h"
#include "../unit/PipelineRun.h"

#include <strata/ImageIO.h>
#include <strata/phantom/KneeLabels.h>
#include <strata/phantom/KneePhantom.h>
#include <strata/ui/CompareTimepointsWindow.h>
#include <strata/ui/ResultTableView.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/ViewerState.h>

#include <QComboBox>
#include <QLabel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace strata;
using namespace strata::ui;
namespace fs = std::filesystem;

namespace {

phantom::KneePhantomCase knee(std::uint64_t seed, double rotation, double translation)
{
    phantom::KneePhantomParams p;
    p.seed = seed;
    p.size = {112, 112, 72};
    p.spacing = {0.9, 0.9, 1.5};
    p.maxRotationDeg = rotation;
    p.maxTranslationMm = translation;
    return phantom::generateKneePhantom(p);
}

/// The knee pipeline measuring the phantom's own labels (no network): a result bundle in dir/out.
fs::path measure(const fs::path& dir, const phantom::KneePhantomCase& c, const LabelMap& labels)
{
    fs::create_directories(dir);
    writeImage(c.image, dir / "image.nii.gz");
    writeImage(labels.image(), dir / "labels.nii.gz");
    const auto result = test::runRequest(test::kneeOnGivenLabels(dir / "image.nii.gz", dir / "labels.nii.gz", dir / "out"));
    if (result.status != pipeline::RunStatus::Succeeded) qFatal("knee run failed: %s", result.message.c_str());
    return dir / "out";
}

/// A voxel of `label` deep inside it (the one farthest along nothing in particular: the middle one in memory order).
ViewerState::Index voxelOf(const Dataset& ds, int label)
{
    const auto ids = ds.labels->ids();
    std::vector<std::size_t> all;
    for (std::size_t n = 0; n < ids.size(); ++n)
        if (ids[n] == label) all.push_back(n);
    const std::size_t n = all[all.size() / 2];
    const auto& s = ds.labels->image().size();
    return {int(n % s[0]), int((n / s[0]) % s[1]), int(n / (s[0] * s[1]))};
}

} // namespace

class CompareTimepointsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        const fs::path root = dir_.path().toStdString();
        const auto base = knee(31, 8.0, 5.0), moved = knee(31, 3.0, 2.0), other = knee(77, 3.0, 2.0);
        baseline_ = measure(root / "base", base, base.labels);
        LabelMap thinned = moved.labels;
        test::thinTibialPlateTop(thinned, phantom::MedialTibialCartilage);
        followup_ = measure(root / "followup", moved, thinned);
        other_ = measure(root / "other", other, other.labels);
    }

    void showsChangeLinkedCursorsAndTables()
    {
        const fs::path out = fs::path(dir_.path().toStdString()) / "change";
        CompareTimepointsWindow w(TimepointCompare::load(baseline_, followup_, out, {}));
        QVERIFY(fs::exists(out / "change_map.nii.gz"));
        for (const auto& a : w.compare().comparison->alignments) {
            qInfo("%s: moved %.2f mm, rotated %.2f deg, residual %.3f mm", a.bone.c_str(), a.movedMm,
                  a.baselineToFollowup.angleDegrees(), a.residualMm);
        }
        QVERIFY(w.compare().baseline->thicknessIsChange);
        QVERIFY(w.baselineState()->thicknessVisible());
        auto* verdict = w.findChild<QLabel*>(QStringLiteral("compareVerdict"));
        QVERIFY(verdict);
        QVERIFY2(verdict->text().startsWith(QStringLiteral("Bones aligned")), qPrintable(verdict->text()));

        // The plate table: the thinned medial plate lost about one voxel layer, the lateral one nothing.
        auto* plates = w.findChild<ResultTableView*>(QStringLiteral("change_plates"));
        QVERIFY(plates);
        double medial = 0, lateral = 1;
        for (const auto& row : plates->table().rows) {
            if (row[0].text == "Medial tibial cartilage") medial = row[3].value;
            if (row[0].text == "Lateral tibial cartilage") lateral = row[3].value;
        }
        QVERIFY2(medial < -0.5 && medial > -1.3, qPrintable(QString::number(medial)));
        QVERIFY2(std::abs(lateral) < 0.15, qPrintable(QString::number(lateral)));
        QCOMPARE(w.findChild<QTabWidget*>()->count(), 3);

        // Linked cursors: a voxel inside the baseline's femur (tibia) lands inside the follow-up's femur (tibia),
        // though the knee moved by several millimetres and degrees; and back.
        for (const int bone : {phantom::Femur, phantom::Tibia, phantom::Patella}) {
            w.baselineState()->setCursor(voxelOf(*w.compare().baseline, bone));
            QCOMPARE(w.followupState()->cursorLabel(), bone);
            const Vec3 expected = w.compare().toFollowup(w.baselineState()->cursorWorld(), bone);
            const Vec3 shown = w.followupState()->cursorWorld();
            QVERIFY(std::hypot(expected[0] - shown[0], expected[1] - shown[1], expected[2] - shown[2]) < 1.5);
            w.followupState()->setCursor(voxelOf(*w.compare().followup, bone));
            QCOMPARE(w.baselineState()->cursorLabel(), bone);
        }

        // The planes switch both views together; a picture for people to look at.
        auto* plane = w.findChild<QComboBox*>(QStringLiteral("comparePlane"));
        plane->setCurrentIndex(static_cast<int>(ViewPlane::Coronal));
        QCOMPARE(w.baselineView()->plane(), ViewPlane::Coronal);
        QCOMPARE(w.followupView()->plane(), ViewPlane::Coronal);
        plane->setCurrentIndex(static_cast<int>(ViewPlane::Sagittal));
        w.baselineState()->setCursor(voxelOf(*w.compare().baseline, phantom::MedialTibialCartilage));
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.grab().save(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/compare_timepoints.png")));

        // The follow-up's report with the change section.
        const QString pdf = QString::fromStdString((out / "report.pdf").string());
        QVERIFY(!w.writeReport(pdf).isEmpty());
        QVERIFY(QFileInfo(pdf).size() > 10000);
    }

    void differentKneesAreFlagged()
    {
        const fs::path out = fs::path(dir_.path().toStdString()) / "change_other";
        CompareTimepointsWindow w(TimepointCompare::load(baseline_, other_, out, {}));
        auto* verdict = w.findChild<QLabel*>(QStringLiteral("compareVerdict"));
        QVERIFY2(verdict->text().startsWith(QStringLiteral("Warning:")), qPrintable(verdict->text()));
        QVERIFY(verdict->text().contains(QStringLiteral("same knee")));
    }

    void badInputGetsOneClearError()
    {
        const fs::path root = dir_.path().toStdString();
        try {
            TimepointCompare::load(root, followup_, root / "x", {});
            QFAIL("a folder that is not a result was compared");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("is not a result bundle")), e.what());
        }
    }

private:
    QTemporaryDir dir_;
    fs::path baseline_, followup_, other_;
};

QTEST_MAIN(CompareTimepointsTest)
#include "CompareTimepointsTest.moc"
