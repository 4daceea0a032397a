#include "strata/remote/Worker.h"

int main(int argc, char** argv)
{
    return strata::remote::workerMain(argc, argv);
}
