#pragma once

#include "strata/ui/Preferences.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QSpinBox;

namespace strata::ui {

/// Edit > Preferences: CPU threads of local analyses, slice interpolation, data and results folders.
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
};

} // namespace strata::ui
