#include "storysift/lsh_params.h"
#include <cstdio>
#include <chrono>
extern int g_evals;
int main(){
  double ms_total=0;
  for (int np : {16, 64, 100, 128, 200}) for (int mb : {0, 8, 32}) for (double w : {0.5, 0.2, 0.8, 1.0, 0.0})
  for (int ti = 1; ti < 100; ++ti) {
    double t = ti / 100.0;
    g_evals=0;
    auto s=std::chrono::steady_clock::now();
    auto p=*storysift::OptimalLshParams(t,np,w,1-w,mb);
    ms_total+=std::chrono::duration<double>(std::chrono::steady_clock::now()-s).count()*1e3;
    printf("%d %d %g %g -> %d %d  evals %d\n",np,mb,w,t,p.num_bands,p.rows_per_band,g_evals);
  }
  fprintf(stderr,"total ms %.1f\n",ms_total);
}
