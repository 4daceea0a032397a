// The Analysis panel's optional inputs (issue 18, part 1): the knee pipeline's "labels" row (from the model, a
// loaded overlay on the input's grid, a file) and "label_mapping" line edit; the run request carries only the
// inputs given; the choices follow the chosen input and are remembered per pipeline. Plain widgets, offscreen;
// a picture of the panel lands in build/test-output/ui/.
#include "RunWait.h"

#include <strata/ui/PipelinePanel.h>
#include <strata/ui/RunQueue.h>
#include <strata/ui/RunTargets.h>

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QAbstractItemView>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace strata;
using namespace strata::ui;

namespace {

QTemporaryDir& settingsDir()
{
    static QTemporaryDir dir;
    return dir;
}

QString touch(const QString& path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write("not an image");
    return QFileInfo(path).absoluteFilePath();
}

} // namespace

class PipelinePanelInputsTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString scanA_, scanB_, segA_, segB_, ownSeg_, mapping_;

    QString path(const QString& name) const { return tmp_.path() + QLatin1Char('/') + name; }

    /// A panel on the knee pipeline with two loaded scans (A current), each with its own label overlay.
    void setUp(PipelinePanel& panel)
    {
        panel.setResultsRoot(path(QStringLiteral("results")));
        QVERIFY(panel.selectPipeline(QStringLiteral("knee-mri")));
        panel.setLabelOverlays({{QStringLiteral("a/image.nii.gz"), segA_, {scanA_}},
                                {QStringLiteral("b/image.nii.gz"), segB_, {scanB_}}});
        panel.setInputs({QStringLiteral("a/image.nii.gz"), QStringLiteral("b/image.nii.gz")}, {scanA_, scanB_}, 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        scanA_ = touch(path(QStringLiteral("a/image.nii.gz")));
        segA_ = touch(path(QStringLiteral("a/labels.nii.gz")));
        scanB_ = touch(path(QStringLiteral("b/image.nii.gz")));
        segB_ = touch(path(QStringLiteral("b/labels.nii.gz")));
        ownSeg_ = touch(path(QStringLiteral("mine/knee_seg.nrrd")));
        mapping_ = touch(path(QStringLiteral("mine/oai.json")));
    }

    void labelsRowOffersModelOverlayAndFile()
    {
        RunQueue queue;
        RunTargets targets;
        PipelinePanel panel(&queue, &targets);
        setUp(panel);
        auto* labels = panel.findChild<QComboBox*>(QStringLiteral("optionalInput_labels"));
        auto* mapping = panel.findChild<QLineEdit*>(QStringLiteral("optionalInput_label_mapping"));
        QVERIFY(labels);
        QVERIFY(mapping);
        QVERIFY(panel.findChild<QToolButton*>(QStringLiteral("optionalInputBrowse_label_mapping")));
        QCOMPARE(labels->currentIndex(), 0);
        QCOMPARE(labels->itemText(0), QStringLiteral("From the model"));
        QVERIFY(labels->findData(segA_) > 0);  // scan A's overlay, on A's grid
        QCOMPARE(labels->findData(segB_), -1); // scan B's is not on A's grid
        QCOMPARE(labels->itemText(labels->count() - 1), QStringLiteral("From a file..."));
        QVERIFY(mapping->text().isEmpty());
        QVERIFY(!mapping->placeholderText().isEmpty());

        // The choices as the user sees them (a picture of the open list).
        QDir().mkpath(QStringLiteral(STRATA_TEST_OUTPUT_DIR));
        panel.resize(460, 760);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        labels->showPopup();
        QTest::qWait(50);
        QVERIFY(labels->view()->window()->grab().save(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/pipeline_panel_segmentation_choices.png")));
        labels->hidePopup();

        // Left at the model: the request is the one from before optional inputs (just the scan).
        auto job = panel.prepareRun();
        QVERIFY(job);
        QCOMPARE(job->request.inputs.size(), std::size_t{1});
        QCOMPARE(QString::fromStdString(job->request.inputs.at("image").string()), scanA_);
        QVERIFY(!job->request.inputs.count("labels"));
        QVERIFY(!job->request.inputs.count("label_mapping"));
        QCOMPARE(job->inputName, QStringLiteral("a/image.nii.gz"));

        // The loaded overlay.
        labels->setCurrentIndex(labels->findData(segA_));
        job = panel.prepareRun();
        QVERIFY(job);
        QCOMPARE(QString::fromStdString(job->request.inputs.at("labels").string()), segA_);
        QVERIFY(!job->request.inputs.count("label_mapping"));
        QCOMPARE(job->request.inputs.size(), std::size_t{2});

        // A file (what "From a file..." does after its dialog), with a mapping file.
        QVERIFY(panel.setOptionalInput(QStringLiteral("labels"), ownSeg_));
        QCOMPARE(labels->currentData().toString(), ownSeg_);
        QCOMPARE(labels->currentText(), QStringLiteral("knee_seg.nrrd"));
        mapping->setText(mapping_);
        job = panel.prepareRun();
        QVERIFY(job);
        QCOMPARE(QString::fromStdString(job->request.inputs.at("labels").string()), ownSeg_);
        QCOMPARE(QString::fromStdString(job->request.inputs.at("label_mapping").string()), mapping_);
        QVERIFY(job->inputName.contains(QStringLiteral("knee_seg.nrrd")));
        QCOMPARE(job->request.parameters.value("label_map", std::string()), std::string("file")); // set with the file

        QVERIFY(panel.grab().save(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/pipeline_panel_optional_inputs.png")));

        // Another input starts with nothing given; its own overlay is offered, A's is not.
        auto* input = panel.findChild<QComboBox*>(QStringLiteral("inputCombo"));
        QVERIFY(input);
        input->setCurrentIndex(1);
        QCOMPARE(labels->currentIndex(), 0);
        QVERIFY(mapping->text().isEmpty());
        QVERIFY(labels->findData(segB_) > 0);
        QCOMPARE(labels->findData(segA_), -1);
        job = panel.prepareRun();
        QVERIFY(job);
        QCOMPARE(job->request.inputs.size(), std::size_t{1});
        QCOMPARE(QString::fromStdString(job->request.inputs.at("image").string()), scanB_);

        // Back on A: its choices are still there.
        input->setCurrentIndex(0);
        QCOMPARE(panel.optionalInput(QStringLiteral("labels")), ownSeg_);
        QCOMPARE(mapping->text(), mapping_);

        // Back to the model default: no "labels" key again.
        labels->setCurrentIndex(0);
        mapping->clear();
        job = panel.prepareRun();
        QVERIFY(job);
        QVERIFY(!job->request.inputs.count("labels"));
        QVERIFY(!job->request.inputs.count("label_mapping"));
        QCOMPARE(job->request.parameters.value("label_map", std::string()), std::string("strata")); // and back

        // A file that is gone: refused before queuing, with the row named.
        QSignalSpy errors(&panel, &PipelinePanel::errorOccurred);
        panel.setOptionalInput(QStringLiteral("labels"), path(QStringLiteral("gone.nii.gz")));
        QVERIFY(!panel.prepareRun());
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.front().at(1).toString().contains(QStringLiteral("Segmentation")));
    }

    void pipelineWithoutOptionalInputsHasNoRows()
    {
        RunQueue queue;
        RunTargets targets;
        PipelinePanel panel(&queue, &targets);
        setUp(panel);
        QVERIFY(panel.findChild<QComboBox*>(QStringLiteral("optionalInput_labels")));
        QVERIFY(panel.selectPipeline(QStringLiteral("classify")));
        QVERIFY(!panel.findChild<QComboBox*>(QStringLiteral("optionalInput_labels")));
        QVERIFY(!panel.findChild<QLineEdit*>(QStringLiteral("optionalInput_label_mapping")));
        QVERIFY(!panel.setOptionalInput(QStringLiteral("labels"), segA_));
        panel.addExtraInput(touch(path(QStringLiteral("pics/photo.png")))); // classification takes pictures, not scans
        auto job = panel.prepareRun();
        QVERIFY(job);
        QCOMPARE(job->request.inputs.size(), std::size_t{1});
        // And back: the knee's rows again, at the model default.
        QVERIFY(panel.selectPipeline(QStringLiteral("knee-mri")));
        auto* labels = panel.findChild<QComboBox*>(QStringLiteral("optionalInput_labels"));
        QVERIFY(labels);
        QCOMPARE(labels->currentIndex(), 0);
    }

    // Issue 24, item 9: each pipeline is offered only the inputs of the kind it takes.
    void inputsAreFilteredByKind()
    {
        RunQueue queue;
        RunTargets targets;
        PipelinePanel panel(&queue, &targets);
        panel.setResultsRoot(path(QStringLiteral("results")));
        const QString photo = touch(path(QStringLiteral("kinds/photo.png")));
        const QString clip = touch(path(QStringLiteral("kinds/clip.avi")));
        const QString pages = QFileInfo(touch(path(QStringLiteral("kinds/pages/page1.png")))).absolutePath();
        const QString series = QFileInfo(touch(path(QStringLiteral("kinds/series/slice1.dcm")))).absolutePath();
        auto* input = panel.findChild<QComboBox*>(QStringLiteral("inputCombo"));
        QVERIFY(input);
        const auto offered = [input] {
            QStringList names;
            for (int i = 0; i < input->count(); ++i) names << QFileInfo(input->itemData(i).toString()).fileName();
            return names;
        };
        QVERIFY(panel.selectPipeline(QStringLiteral("classify")));
        panel.setInputs({QStringLiteral("image.nii.gz"), QStringLiteral("photo.png"), QStringLiteral("clip.avi"),
                         QStringLiteral("pages"), QStringLiteral("series")},
                        {scanA_, photo, clip, pages, series}, 0);
        QCOMPARE(panel.currentPipelineId(), QStringLiteral("classify")); // chosen: the scan shown does not change it
        QCOMPARE(offered(), (QStringList{QStringLiteral("photo.png"), QStringLiteral("pages")}));
        QVERIFY(input->toolTip().contains(QStringLiteral("3 open input")));
        panel.setInputs({QStringLiteral("image.nii.gz"), QStringLiteral("photo.png"), QStringLiteral("clip.avi"),
                         QStringLiteral("pages"), QStringLiteral("series")},
                        {scanA_, photo, clip, pages, series}, 4); // the series shown now
        QVERIFY(panel.selectPipeline(QStringLiteral("knee-mri")));
        QCOMPARE(offered(), (QStringList{QStringLiteral("image.nii.gz"), QStringLiteral("series")}));
        QCOMPARE(input->currentData().toString(), series); // the dataset shown, once the pipeline takes it
        QVERIFY(panel.selectPipeline(QStringLiteral("superres")));
        QCOMPARE(offered(), (QStringList{QStringLiteral("photo.png"), QStringLiteral("clip.avi")}));
        QVERIFY(panel.selectPipeline(QStringLiteral("ocr")));
        QCOMPARE(offered(), (QStringList{QStringLiteral("photo.png"), QStringLiteral("pages")}));
        QVERIFY(panel.grab().save(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/pipeline_panel_inputs_by_kind.png")));

        // Nothing open fits: no input, and Run says why.
        QVERIFY(panel.selectPipeline(QStringLiteral("knee-mri")));
        panel.setInputs({QStringLiteral("photo.png")}, {photo}, 0);
        QCOMPARE(input->count(), 0);
        QSignalSpy errors(&panel, &PipelinePanel::errorOccurred);
        QVERIFY(!panel.prepareRun());
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.front().at(1).toString().startsWith(QStringLiteral("Nothing open fits")),
                 qPrintable(errors.front().at(1).toString()));
        // A file chosen with "..." is taken as chosen (the run then says what is wrong with it).
        panel.addExtraInput(clip);
        QCOMPARE(input->currentData().toString(), clip);
    }

    void choicesAreRememberedPerPipelineAndInput()
    {
        QSettings().clear();
        {
            RunQueue queue;
            RunTargets targets;
            PipelinePanel panel(&queue, &targets);
            panel.setRememberSettings(true);
            setUp(panel);
            QVERIFY(panel.setOptionalInput(QStringLiteral("labels"), segA_));
            // The run itself fails fast (the files are not images); the choices are stored when it is queued.
            const int id = panel.run();
            QVERIFY(id >= 0);
            QCOMPARE(queue.job(id)->request.inputs.count("labels"), std::size_t{1});
            QVERIFY(test::waitForRun(queue, id, 60000) != RunJob::State::Running);
        }
        RunQueue queue;
        RunTargets targets;
        PipelinePanel panel(&queue, &targets);
        panel.setRememberSettings(true);
        QCOMPARE(panel.currentPipelineId(), QStringLiteral("knee-mri"));
        panel.setLabelOverlays({{QStringLiteral("a/image.nii.gz"), segA_, {scanA_}}});
        panel.setInputs({QStringLiteral("b/image.nii.gz"), QStringLiteral("a/image.nii.gz")}, {scanB_, scanA_}, 0);
        QVERIFY(panel.optionalInput(QStringLiteral("labels")).isEmpty()); // another scan: not carried over
        panel.setInputs({QStringLiteral("b/image.nii.gz"), QStringLiteral("a/image.nii.gz")}, {scanB_, scanA_}, 1);
        QCOMPARE(panel.optionalInput(QStringLiteral("labels")), segA_);
        QSettings().clear();
    }
};

int main(int argc, char** argv)
{
    // Settings in a folder of this test's own, never the user's.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir().path());
    QApplication::setOrganizationName(QStringLiteral("StrataUiTest"));
    QApplication::setApplicationName(QStringLiteral("PipelinePanelInputsTest"));
    QApplication app(argc, argv);
    PipelinePanelInputsTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "PipelinePanelInputsTest.moc"
