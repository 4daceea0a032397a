#include "strata/ui/PreferencesDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include <thread>

namespace strata::ui {
namespace {

/// A folder field with a Browse... button.
QWidget* folderRow(QLineEdit* edit, QWidget* parent)
{
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* browse = new QPushButton(QObject::tr("Browse..."), row);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, row, [edit, row] {
        const QString dir = QFileDialog::getExistingDirectory(row, QObject::tr("Choose a folder"), edit->text());
        if (!dir.isEmpty()) edit->setText(QDir::toNativeSeparators(dir));
    });
    return row;
}

} // namespace

PreferencesDialog::PreferencesDialog(const Preferences& current, QWidget* parent)
    : QDialog(parent), threads_(new QSpinBox(this)), smooth_(new QCheckBox(tr("Interpolate slices (smooth)"), this)),
      dataFolder_(new QLineEdit(this)), resultsFolder_(new QLineEdit(this)), device_(new QComboBox(this)),
      report3d_(new QCheckBox(tr("3D view"), this)), reportSlices_(new QCheckBox(tr("Slice pictures with the overlay"), this)),
      reportMaps_(new QCheckBox(tr("2D thickness maps"), this)),
      resetLabels_(new QCheckBox(tr("Forget the label names and colours chosen in the Labels panel"), this))
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads_->setRange(0, 4 * cores);
    threads_->setSpecialValueText(tr("all cores (%1)").arg(cores));
    threads_->setValue(current.threads);
    threads_->setToolTip(tr("CPU threads of analyses run on this workstation (the network, thickness, OCR)"));
    smooth_->setChecked(current.smoothSlices);
    smooth_->setToolTip(tr("Off: each voxel is a square, as measured. On: linear interpolation between voxels"));
    dataFolder_->setText(QDir::toNativeSeparators(current.dataFolder));
    dataFolder_->setPlaceholderText(tr("the last folder opened"));
    resultsFolder_->setText(QDir::toNativeSeparators(current.resultsFolder));
    resultsFolder_->setPlaceholderText(tr("beside each input"));

    device_->setObjectName(QStringLiteral("preferredDevice"));
    device_->addItem(tr("auto (CUDA when there is a GPU)"), QStringLiteral("auto"));
    device_->addItem(tr("CPU"), QStringLiteral("cpu"));
    device_->addItem(tr("CUDA"), QStringLiteral("cuda"));
    device_->setCurrentIndex(std::max(0, device_->findData(current.device)));
    device_->setToolTip(tr("The device analyses and cohorts on this workstation start with (the Analysis panel can still "
                           "change it for one run)"));
    report3d_->setChecked(current.report3dView);
    reportSlices_->setChecked(current.reportSlices);
    reportMaps_->setChecked(current.reportThicknessMaps);
    resetLabels_->setObjectName(QStringLiteral("resetLabelAppearance"));
    resetLabels_->setToolTip(tr("On OK, every label table gets its own names and colours back"));
    auto* report = new QWidget(this);
    auto* reportLayout = new QVBoxLayout(report);
    reportLayout->setContentsMargins(0, 0, 0, 0);
    reportLayout->addWidget(report3d_);
    reportLayout->addWidget(reportSlices_);
    reportLayout->addWidget(reportMaps_);

    auto* form = new QFormLayout;
    form->addRow(tr("Analysis threads"), threads_);
    form->addRow(tr("Analysis device"), device_);
    form->addRow(tr("Slice display"), smooth_);
    form->addRow(tr("Data folder"), folderRow(dataFolder_, this));
    form->addRow(tr("Results folder"), folderRow(resultsFolder_, this));
    form->addRow(tr("Reports include"), report);
    form->addRow(tr("Label colours"), resetLabels_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

Preferences PreferencesDialog::preferences() const
{
    Preferences p;
    p.threads = threads_->value();
    p.smoothSlices = smooth_->isChecked();
    p.dataFolder = QDir::fromNativeSeparators(dataFolder_->text().trimmed());
    p.resultsFolder = QDir::fromNativeSeparators(resultsFolder_->text().trimmed());
    p.device = device_->currentData().toString();
    p.report3dView = report3d_->isChecked();
    p.reportSlices = reportSlices_->isChecked();
    p.reportThicknessMaps = reportMaps_->isChecked();
    p.resetLabelAppearance = resetLabels_->isChecked();
    return p;
}

} // namespace strata::ui
