#pragma once

#include <strata/pipeline/PipelineManifest.h>

#include <QWidget>

#include <nlohmann/json.hpp>

#include <vector>

class QFormLayout;

namespace strata::ui {

/// Editors for a pipeline's parameters (spin boxes, check boxes, combo boxes, line edits) with the manifest's
/// defaults, ranges and help as tooltips.
class ParameterForm : public QWidget {
    Q_OBJECT
public:
    explicit ParameterForm(QWidget* parent = nullptr);

    void setParameters(const std::vector<pipeline::ParameterSpec>& specs);
    /// The edited values (every parameter).
    nlohmann::json values() const;
    /// Sets the values that are present in `values` (others keep their current value).
    void setValues(const nlohmann::json& values);
    void resetToDefaults();
    /// The editor widget of a parameter, or nullptr.
    QWidget* editor(const QString& name) const;

Q_SIGNALS:
    void edited();

private:
    std::vector<pipeline::ParameterSpec> specs_;
    std::vector<QWidget*> editors_;
    QFormLayout* form_;
};

} // namespace strata::ui
