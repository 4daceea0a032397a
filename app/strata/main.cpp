// strata: the workstation GUI. All logic lives in ui/ (strata::ui::Application).
#include <strata/ui/Application.h>

int main(int argc, char** argv)
{
    return strata::ui::Application::run(argc, argv);
}
