#include "strata/ui/View3D.h"

#include "strata/ui/ColourMap.h"
#include "strata/ui/LabelPalette.h"
#include "strata/ui/SliceMapping.h"
#include "strata/ui/SliceRenderer.h"
#include "strata/ui/ViewerState.h"
#include "strata/ui/VtkOpenGLWidget.h"

#include <QKeyEvent>
#include <QTimer>
#include <QVBoxLayout>

#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkFloatArray.h>
#include <vtkLookupTable.h>
#include <vtkPoints.h>
#include <vtkScalarBarActor.h>
#include <vtkTextProperty.h>
#include <vtkCamera.h>
#include <vtkDiscreteFlyingEdges3D.h>
#include <vtkImageData.h>
#include <vtkMatrix4x4.h>
#include <vtkNew.h>
#include <vtkPlaneSource.h>
#include <vtkPointData.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataNormals.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkTexture.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowedSincPolyDataFilter.h>

#include <cstring>
#include <map>

namespace strata::ui {

struct View3D::Scene {
    struct Plane {
        vtkNew<vtkPlaneSource> source;
        vtkNew<vtkImageData> image;
        vtkNew<vtkTexture> texture;
        vtkNew<vtkPolyDataMapper> mapper;
        vtkNew<vtkActor> actor;
    };
    std::array<Plane, 3> planes;
    std::map<int, vtkSmartPointer<vtkActor>> surfaces;
    std::map<int, vtkSmartPointer<vtkActor>> thicknessActors;
    vtkNew<vtkLookupTable> lut;
    vtkNew<vtkScalarBarActor> bar;
    std::shared_ptr<const SurfaceInput> input;
    std::size_t next{0};
    quint64 generation{0};
    bool building{false};
};

View3D::View3D(ViewerState* state, QWidget* parent)
    : QWidget(parent), state_(state), gl_(new VtkOpenGLWidget(this)), scene_(std::make_unique<Scene>())
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(gl_);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(120, 120);

    vtkRenderer* ren = gl_->renderer();
    ren->SetBackground(0.08, 0.09, 0.12);
    ren->SetBackground2(0.25, 0.27, 0.33);
    ren->GradientBackgroundOn();
    for (auto& p : scene_->planes) {
        p.image->SetDimensions(1, 1, 1);
        p.image->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
        p.texture->SetInputData(p.image);
        p.texture->InterpolateOff();
        p.texture->SetColorModeToDirectScalars();
        p.mapper->SetInputConnection(p.source->GetOutputPort());
        p.actor->SetMapper(p.mapper);
        p.actor->SetTexture(p.texture);
        p.actor->GetProperty()->LightingOff();
        p.actor->VisibilityOff();
        ren->AddActor(p.actor);
    }

    scene_->lut->SetNumberOfTableValues(256);
    for (int i = 0; i < 256; ++i) {
        const QRgb c = ColourMap::rgb(i / 255.0);
        scene_->lut->SetTableValue(i, qRed(c) / 255.0, qGreen(c) / 255.0, qBlue(c) / 255.0, 1.0);
    }
    scene_->lut->Build();
    scene_->bar->SetLookupTable(scene_->lut);
    scene_->bar->SetTitle("mm");
    scene_->bar->SetNumberOfLabels(5);
    scene_->bar->SetLabelFormat("%.1f");
    scene_->bar->SetMaximumWidthInPixels(70);
    scene_->bar->SetPosition(0.88, 0.1);
    scene_->bar->SetWidth(0.1);
    scene_->bar->SetHeight(0.6);
    scene_->bar->GetLabelTextProperty()->SetFontSize(12);
    scene_->bar->GetTitleTextProperty()->SetFontSize(13);
    scene_->bar->VisibilityOff();
    ren->AddViewProp(scene_->bar);

    connect(gl_, &VtkOpenGLWidget::doubleClicked, this, &View3D::maximiseRequested);
    connect(state_, &ViewerState::datasetChanged, this, &View3D::onDatasetChanged);
    // Cursor drags and W/L drags change the state many times per frame: re-texture the planes once per turn.
    auto schedulePlanes = [this] {
        if (!planesScheduled_) {
            planesScheduled_ = true;
            QTimer::singleShot(0, this, [this] {
                planesScheduled_ = false;
                updateSlicePlanes();
            });
        }
    };
    connect(state_, &ViewerState::cursorChanged, this, schedulePlanes);
    connect(state_, &ViewerState::windowLevelChanged, this, schedulePlanes);
    connect(state_, &ViewerState::overlayChanged, this, [this, schedulePlanes] {
        schedulePlanes();
        updateVisibility();
    });
    connect(state_, &ViewerState::labelsChanged, this, [this] {
        clearSurfaces();
        rebuildThicknessMeshes();
    });
    connect(state_, &ViewerState::labelAppearanceChanged, this, [this, schedulePlanes] {
        // New label colours: the surfaces and the slice planes' overlay take them.
        const auto ds = state_->dataset();
        const LabelPalette palette(ds && ds->labels ? ds->labels->table() : LabelTable{});
        for (auto& [id, actor] : scene_->surfaces) {
            const QColor c = palette.colour(id);
            actor->GetProperty()->SetColor(c.redF(), c.greenF(), c.blueF());
        }
        schedulePlanes();
        refresh();
    });
}

View3D::~View3D()
{
    // GL resources of the actors are released by the widget's context cleanup; drop actors first.
    scene_->generation++;
}

bool View3D::buildingSurfaces() const { return scene_->building; }
int View3D::surfaceCount() const { return static_cast<int>(scene_->surfaces.size()); }

void View3D::refresh() { gl_->update(); }

int View3D::thicknessMeshCount() const { return static_cast<int>(scene_->thicknessActors.size()); }

void View3D::rebuildThicknessMeshes()
{
    for (auto& [id, actor] : scene_->thicknessActors) {
        gl_->renderer()->RemoveActor(actor);
    }
    scene_->thicknessActors.clear();
    const auto ds = state_->dataset();
    if (ds && ds->result) {
        const double top = ds->thicknessMax > 0 ? ds->thicknessMax : 4.0;
        scene_->lut->SetTableRange(0.0, top);
        for (const auto& bm : ds->result->meshes) {
            const quant::Mesh& mesh = *bm.mesh;
            if (mesh.scalars.size() != mesh.vertices.size() || mesh.empty()) {
                continue;
            }
            vtkNew<vtkPoints> points;
            points->SetDataTypeToFloat();
            points->SetNumberOfPoints(static_cast<vtkIdType>(mesh.vertices.size()));
            for (std::size_t i = 0; i < mesh.vertices.size(); ++i) {
                points->SetPoint(static_cast<vtkIdType>(i), mesh.vertices[i][0], mesh.vertices[i][1], mesh.vertices[i][2]);
            }
            vtkNew<vtkCellArray> polys;
            for (const auto& t : mesh.triangles) {
                const vtkIdType ids[3] = {t[0], t[1], t[2]};
                polys->InsertNextCell(3, ids);
            }
            vtkNew<vtkFloatArray> scalars;
            scalars->SetName("thickness_mm");
            scalars->SetNumberOfValues(static_cast<vtkIdType>(mesh.scalars.size()));
            for (std::size_t i = 0; i < mesh.scalars.size(); ++i) {
                scalars->SetValue(static_cast<vtkIdType>(i), mesh.scalars[i]);
            }
            vtkNew<vtkPolyData> poly;
            poly->SetPoints(points);
            poly->SetPolys(polys);
            poly->GetPointData()->SetScalars(scalars);
            vtkNew<vtkPolyDataNormals> normals;
            normals->SetInputData(poly);
            normals->SplittingOff();
            normals->Update();
            vtkNew<vtkPolyDataMapper> mapper;
            mapper->SetInputConnection(normals->GetOutputPort());
            mapper->SetLookupTable(scene_->lut);
            mapper->SetScalarRange(0.0, top);
            mapper->SetScalarModeToUsePointData();
            mapper->ScalarVisibilityOn();
            mapper->UseLookupTableScalarRangeOn();
            auto actor = vtkSmartPointer<vtkActor>::New();
            actor->SetMapper(mapper);
            actor->GetProperty()->SetSpecular(0.2);
            actor->GetProperty()->SetSpecularPower(20);
            gl_->renderer()->AddActor(actor);
            scene_->thicknessActors[bm.labelId] = actor;
        }
    }
    updateVisibility();
}

void View3D::onDatasetChanged()
{
    clearSurfaces();
    rebuildThicknessMeshes();
    updateSlicePlanes();
    resetCamera();
}

void View3D::clearSurfaces()
{
    scene_->generation++;
    scene_->building = false;
    scene_->input.reset();
    for (auto& [id, actor] : scene_->surfaces) {
        gl_->renderer()->RemoveActor(actor);
    }
    scene_->surfaces.clear();
    refresh();
}

void View3D::startBuilding(std::shared_ptr<const SurfaceInput> input)
{
    scene_->input = std::move(input);
    scene_->next = 0;
    scene_->building = true;
    const quint64 gen = scene_->generation;
    QTimer::singleShot(0, this, [this, gen] { buildNextSurface(gen); });
}

void View3D::updateSurfaces(std::shared_ptr<const SurfaceInput> input, const std::set<int>& touched)
{
    scene_->generation++; // a build in progress stops; what it made so far stays
    for (const int id : touched) {
        if (auto it = scene_->surfaces.find(id); it != scene_->surfaces.end()) {
            gl_->renderer()->RemoveActor(it->second);
            scene_->surfaces.erase(it);
        }
    }
    refresh();
    if (!input) {
        return;
    }
    startBuilding(std::move(input));
}

void View3D::setSurfaceInput(std::shared_ptr<const SurfaceInput> input)
{
    clearSurfaces();
    if (!input) {
        return;
    }
    startBuilding(std::move(input));
}

void View3D::buildNextSurface(quint64 generation)
{
    if (generation != scene_->generation || !scene_->input) {
        return;
    }
    const auto& labels = scene_->input->labels;
    const int total = static_cast<int>(labels.size());
    if (scene_->next >= labels.size()) {
        scene_->building = false;
        updateVisibility();
        gl_->renderer()->ResetCameraClippingRange();
        refresh();
        Q_EMIT surfaceProgress(total, total);
        Q_EMIT surfacesReady();
        return;
    }
    const LabelSurfaceInput& in = labels[scene_->next++];

    vtkNew<vtkImageData> mask;
    mask->SetDimensions(in.dims[0], in.dims[1], in.dims[2]);
    mask->SetOrigin(in.offset[0], in.offset[1], in.offset[2]);
    mask->SetSpacing(in.step, in.step, in.step);
    vtkNew<vtkUnsignedCharArray> scalars;
    scalars->SetNumberOfComponents(1);
    // The input outlives the pipeline run below; VTK must not free it (save = 1).
    scalars->SetArray(const_cast<unsigned char*>(in.mask.data()), static_cast<vtkIdType>(in.mask.size()), 1);
    mask->GetPointData()->SetScalars(scalars);

    vtkNew<vtkDiscreteFlyingEdges3D> contour;
    contour->SetInputData(mask);
    contour->SetValue(0, 1.0);
    contour->ComputeNormalsOff();
    contour->ComputeGradientsOff();
    contour->ComputeScalarsOff();
    vtkNew<vtkWindowedSincPolyDataFilter> smooth;
    smooth->SetInputConnection(contour->GetOutputPort());
    smooth->SetNumberOfIterations(15);
    smooth->SetPassBand(0.08);
    smooth->BoundarySmoothingOff();
    smooth->FeatureEdgeSmoothingOff();
    smooth->NonManifoldSmoothingOn();
    smooth->NormalizeCoordinatesOn();
    vtkNew<vtkPolyDataNormals> normals;
    normals->SetInputConnection(smooth->GetOutputPort());
    normals->SplittingOff();
    normals->ConsistencyOn();
    normals->Update();

    vtkSmartPointer<vtkPolyData> poly = vtkSmartPointer<vtkPolyData>::New();
    poly->DeepCopy(normals->GetOutput());
    if (poly->GetNumberOfPoints() > 0) {
        vtkNew<vtkPolyDataMapper> mapper;
        mapper->SetInputData(poly);
        mapper->ScalarVisibilityOff();
        auto actor = vtkSmartPointer<vtkActor>::New();
        actor->SetMapper(mapper);
        vtkNew<vtkMatrix4x4> m;
        m->DeepCopy(scene_->input->indexToWorld.data());
        actor->SetUserMatrix(m);
        const auto ds = state_->dataset();
        const LabelPalette palette(ds && ds->labels ? ds->labels->table() : LabelTable{});
        const QColor c = palette.colour(in.id);
        actor->GetProperty()->SetColor(c.redF(), c.greenF(), c.blueF());
        actor->GetProperty()->SetSpecular(0.25);
        actor->GetProperty()->SetSpecularPower(20);
        actor->GetProperty()->SetDiffuse(0.8);
        actor->GetProperty()->SetAmbient(0.15);
        // Structures holding more than a quarter of all labelled voxels (muscle, fat, skin: the context around
        // the anatomy of interest) are drawn translucent so they do not hide everything inside them.
        std::size_t total = 0;
        for (const auto& l : labels) {
            total += l.voxelCount;
        }
        if (total > 0 && in.voxelCount * 4 > total) {
            actor->GetProperty()->SetOpacity(0.18);
            actor->GetProperty()->SetSpecular(0.0);
        }
        actor->SetVisibility(state_->labelVisible(in.id) && state_->overlayVisible() &&
                             !(state_->thicknessVisible() && scene_->thicknessActors.count(in.id) > 0));
        gl_->renderer()->AddActor(actor);
        scene_->surfaces[in.id] = actor;
    }
    Q_EMIT surfaceProgress(static_cast<int>(scene_->next), total);
    refresh();
    const quint64 gen = scene_->generation;
    QTimer::singleShot(0, this, [this, gen] { buildNextSurface(gen); });
}

void View3D::updateVisibility()
{
    const bool thickness = state_->thicknessVisible() && !scene_->thicknessActors.empty();
    for (auto& [id, actor] : scene_->surfaces) {
        const bool replaced = thickness && scene_->thicknessActors.count(id) > 0;
        actor->SetVisibility(state_->labelVisible(id) && state_->overlayVisible() && !replaced);
    }
    for (auto& [id, actor] : scene_->thicknessActors) {
        actor->SetVisibility(thickness && state_->labelVisible(id) && state_->overlayVisible());
    }
    scene_->bar->SetVisibility(thickness && state_->overlayVisible());
    refresh();
}

void View3D::setSlicePlanesVisible(bool visible)
{
    planesVisible_ = visible;
    updateSlicePlanes();
}

void View3D::updateSlicePlanes()
{
    const auto ds = state_->dataset();
    if (!ds || !ds->image) {
        for (auto& p : scene_->planes) {
            p.actor->VisibilityOff();
        }
        refresh();
        return;
    }
    const Image& image = *ds->image;
    OverlaySettings overlay;
    overlay.visible = state_->overlayVisible();
    overlay.opacity = state_->overlayOpacity();
    overlay.labelVisible = &state_->labelVisibility();
    for (ViewPlane plane : kViewPlanes) {
        auto& p = scene_->planes[static_cast<std::size_t>(plane)];
        const SliceMapping m = SliceMapping::compute(image, plane);
        const int slice = state_->cursor()[static_cast<std::size_t>(m.sliceAxis())];
        const QImage img = SliceRenderer::render(*ds, m, slice, state_->windowLevel(), overlay)
                               .convertToFormat(QImage::Format_RGBA8888);
        p.image->SetDimensions(img.width(), img.height(), 1);
        p.image->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
        auto* dst = static_cast<unsigned char*>(p.image->GetScalarPointer());
        for (int y = 0; y < img.height(); ++y) {
            std::memcpy(dst + static_cast<std::size_t>(y) * img.width() * 4, img.constScanLine(y),
                        static_cast<std::size_t>(img.width()) * 4);
        }
        p.image->Modified();
        // Texture row 0 (t = 0) is the image's top row, at the plane's origin.
        const double s = slice;
        Vec3 o = image.indexToWorld(m.indexOf(-0.5, -0.5, s));
        Vec3 p1 = image.indexToWorld(m.indexOf(m.width() - 0.5, -0.5, s));
        Vec3 p2 = image.indexToWorld(m.indexOf(-0.5, m.height() - 0.5, s));
        p.source->SetOrigin(o.data());
        p.source->SetPoint1(p1.data());
        p.source->SetPoint2(p2.data());
        p.source->Modified();
        p.actor->SetVisibility(planesVisible_);
    }
    refresh();
}

void View3D::resetCamera()
{
    vtkRenderer* ren = gl_->renderer();
    vtkCamera* cam = ren->GetActiveCamera();
    const auto ds = state_->dataset();
    double centre[3] = {0, 0, 0};
    if (ds && ds->image) {
        const auto& s = ds->image->size();
        const Vec3 c = ds->image->indexToWorld({(s[0] - 1) / 2.0, (s[1] - 1) / 2.0, (s[2] - 1) / 2.0});
        centre[0] = c[0];
        centre[1] = c[1];
        centre[2] = c[2];
    }
    // Look from the front (anterior = -y in LPS) with superior up, then turn a little for depth.
    cam->SetFocalPoint(centre);
    cam->SetPosition(centre[0], centre[1] - 500.0, centre[2]);
    cam->SetViewUp(0, 0, 1);
    cam->Azimuth(-35.0);
    cam->Elevation(20.0);
    cam->OrthogonalizeViewUp();
    ren->ResetCamera();
    cam->Zoom(1.15);
    ren->ResetCameraClippingRange();
    refresh();
}

std::array<double, 10> View3D::camera() const
{
    vtkCamera* cam = gl_->renderer()->GetActiveCamera();
    std::array<double, 10> c{};
    cam->GetPosition(&c[0]);
    cam->GetFocalPoint(&c[3]);
    cam->GetViewUp(&c[6]);
    c[9] = cam->GetViewAngle();
    return c;
}

void View3D::setCamera(const std::array<double, 10>& c)
{
    vtkCamera* cam = gl_->renderer()->GetActiveCamera();
    cam->SetPosition(c[0], c[1], c[2]);
    cam->SetFocalPoint(c[3], c[4], c[5]);
    cam->SetViewUp(c[6], c[7], c[8]);
    cam->SetViewAngle(c[9]);
    gl_->renderer()->ResetCameraClippingRange();
    refresh();
}

QImage View3D::grabImage()
{
    return gl_->grabFramebuffer();
}

void View3D::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_R: resetCamera(); break;
    case Qt::Key_M: Q_EMIT maximiseRequested(); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

} // namespace strata::ui
