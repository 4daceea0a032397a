#pragma once

#include <strata/pipeline/PipelineManifest.h>

#include <QObject>
#include <QStringList>
#include <QVariantMap>

#include <map>
#include <string>
#include <vector>

class QComboBox;
class QFormLayout;
class QLineEdit;
class QSettings;
class QWidget;

namespace strata::ui {

class ParameterForm;

/// The Analysis panel's rows for a pipeline's optional inputs, inserted into the panel's form layout below a
/// given widget (the input's help line); one row per optional input after the first input, left "not given" by
/// default. A label-map input (the knee's "labels") is a "Segmentation" combo box (object name
/// "optionalInput_<name>"): "From the model" (not given), the label overlays on the current input's grid, files
/// chosen before, and "From a file..." (file dialog). Any other optional input is a line edit
/// ("optionalInput_<name>") with a "..." button ("optionalInputBrowse_<name>"); giving "label_mapping" sets the
/// parameter label_map to "file", clearing it sets it back to "strata".
///
/// The choices belong to the pipeline and the input (a segmentation is one scan's): another input starts with none
/// given, and coming back brings them back. With settings on, the last run's choices are kept per pipeline.
class OptionalInputRows : public QObject {
    Q_OBJECT
public:
    /// A loaded label overlay that can be given as a label-map input.
    struct LabelOverlay {
        QString name;                 ///< the dataset it is shown on
        QString path;                 ///< its file
        QStringList sameGridInputs;   ///< the input paths (datasets) on whose grid it lies
    };
    /// An optional input that is given.
    struct Given {
        std::string name;  ///< the input's name in the manifest
        QString title;     ///< its row's title
        QString path;
    };

    /// `panel` owns this object and the rows and parents the file dialogs; the rows go into `layout` below the row
    /// of `after`; `form` holds the pipeline's parameters.
    OptionalInputRows(QWidget* panel, QFormLayout* layout, QWidget* after, ParameterForm* form);

    /// The pipeline changed (nullptr: none): its rows replace the previous ones, with the choices for it and the
    /// current input (first taken from the settings when `fromSettings`).
    void setPipeline(const pipeline::PipelineManifest* manifest, bool fromSettings);
    /// The run input changed (its path): the rows show the choices for it.
    void setInput(const QString& inputPath);
    /// The label overlays of the loaded datasets.
    void setLabelOverlays(std::vector<LabelOverlay> overlays);
    /// Where the "..." buttons' file dialogs start when their row is empty.
    void setBrowseDir(const QString& dir) { browseDir_ = dir; }

    /// Gives an optional input (an empty path: not given). Returns false when the pipeline has no such input.
    bool set(const QString& name, const QString& path);
    /// The path given for an optional input, empty when not given.
    QString value(const QString& name) const;
    /// The inputs given, in row order.
    std::vector<Given> given() const;

    /// Takes the choices for the current pipeline from the settings (this session's win) and shows them.
    void readSettings();
    /// Stores the choices for the current pipeline and input.
    void writeSettings(QSettings& settings) const;

private:
    struct Row {
        pipeline::PortSpec port;
        QComboBox* combo{nullptr};  ///< label-map inputs
        QLineEdit* edit{nullptr};   ///< any other
    };

    void rebuild(const pipeline::PipelineManifest* manifest);
    QWidget* addFileRow(Row& row, const QString& help);
    void fillLabelCombo(Row& row, const QString& selected);
    void chooseLabelFile(const QString& name);
    void store();
    void restore();
    void seedFromSettings();
    Row* find(const QString& name);
    const Row* find(const QString& name) const;
    QString value(const Row& row) const;
    QString choicesKey() const;

    QWidget* panel_;
    QFormLayout* layout_;
    QWidget* after_;
    ParameterForm* form_;
    QString pipelineId_, input_, browseDir_;
    std::vector<Row> rows_;
    std::vector<LabelOverlay> overlays_;
    QStringList labelFiles_;                      ///< label maps chosen with "From a file...", newest first
    std::map<QString, QVariantMap> choices_;      ///< choicesKey() -> {input name: path}
    bool restoring_{false};
};

} // namespace strata::ui
