#include "strata/remote/Server.h"

int main(int argc, char** argv)
{
    return strata::remote::serverMain(argc, argv);
}
