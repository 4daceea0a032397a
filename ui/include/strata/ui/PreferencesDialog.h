#pragma once

#include "strata/ui/Preferences.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace strata::ui {

/// Edit > Preferences: CPU threads and device of local analyses, slice interpolation, data and results folders, report
/// contents, and a reset of the label names and colours people chose.
class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(const Preferences& current, QWidget* parent = nullptr);
    Preferences preferences() const;

private:
    QSpinBox* threads_;
    QCheckBox* smooth_;
    QLineEdit* dataFolder_;
    QLineEdit* resultsFolder_;
    QComboBox* device_;
    QCheckBox* report3d_;
    QCheckBox* reportSlices_;
    QCheckBox* reportMaps_;
    QCheckBox* resetLabels_;
};

} // namespace strata::ui
