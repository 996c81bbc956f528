import { LayoutDashboard as LayoutDashboardIcon } from 'lucide-react';
import type { Feature } from '../../app/feature';
import { DashboardPage } from './DashboardPage';
import './dashboard.css';

/** The start page: this week's meetings and the coming exams. */
export const dashboardFeature: Feature = {
  id: 'dashboard',
  nav: { path: '/', label: 'Dashboard', key: 'd', icon: LayoutDashboardIcon },
  routes: [{ path: 'index', Page: DashboardPage }],
};
